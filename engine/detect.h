/* detect.h: the built detection structures of a rule set, and per-engine inspection state
 * (engine only). */
#ifndef KANSHI_ENGINE_DETECT_H
#define KANSHI_ENGINE_DETECT_H

#include "ruleset.h"

struct kn_detect;

void kn_detect_free(struct kn_detect *d);

#endif
