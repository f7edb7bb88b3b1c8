/* rules.h: reading rule files, classification.config and threshold.config into an engine rule
 * set, with the prefilter cache on disk. */
#ifndef KANSHI_SENSOR_RULES_H
#define KANSHI_SENSOR_RULES_H

#include "config.h"
#include "kanshi.h"

/* Loads and builds the rule set cfg names (rule files, variables, classifications, disabled
 * sids, cache). Prints each problem (the first ones; all with -v) and one summary line
 * "N rules loaded, M failed, K unsupported". Returns the rule set (caller frees), or NULL when
 * a file cannot be read or the build fails. *failures counts the rules (and
 * threshold.config lines) that are wrong; unsupported ones are reported but not counted. */
kn_ruleset_t *kn_rules_load(const kn_config_t *cfg, int *failures);

#endif
