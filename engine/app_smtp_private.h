/* app_smtp_private.h: what app_smtp.c (the SMTP dialogue) and app_smtp_mime.c (the message it
 * carries) share: the transaction, and the message parser's entry points. */
#ifndef KANSHI_ENGINE_APP_SMTP_PRIVATE_H
#define KANSHI_ENGINE_APP_SMTP_PRIVATE_H

#include "applayer.h"
#include "file.h"

/* A growable list of owned strings (rcpt_to). */
typedef struct smtp_list {
    kn_str_t *v;
    uint16_t n, cap;
} smtp_list_t;

#define SMTP_URL_MAX 256u  /* URLs one message keeps: more are counted and dropped */
#define SMTP_URL_LEN 2048u /* bytes of one URL kept: the rest is counted and dropped */
#define SMTP_ITEMS_MAX 1024u /* attachments one message keeps */

/* An item eve reports from the MIME entity it belongs to (a URL, an attachment's name), with
 * the serials of that entity and of its parent (the message itself is 0, its own parent too). */
typedef struct smtp_item {
    kn_str_t s;
    uint16_t ent, parent;
    uint8_t flags; /* KN_EMAIL_URL_* */
} smtp_item_t;

/* A transaction's items, and out: those eve writes (kn_smtp_items_select), borrowed. */
typedef struct smtp_items {
    smtp_item_t *v;
    kn_str_t *out;
    uint16_t n, cap, nout;
} smtp_items_t;

/* The URL scanner of the entity being read (app_smtp_url.c): it survives line, segment and
 * chunk ends, holding at most one URL. */
typedef struct smtp_url_scan {
    uint8_t st, matched, nul, on;
    uint16_t ent, parent;
    uint32_t len;
    uint8_t buf[SMTP_URL_LEN];
} smtp_url_scan_t;

/* One mail transaction (RFC 5321 3.3): MAIL, its RCPTs and the message, as Suricata counts
 * them; commands outside one (EHLO, QUIT after a message) open a transaction of their own. */
typedef struct smtp_tx {
    kn_app_tx_t tx; /* first: the app layer's header */
    kn_smtp_info_t info;
    smtp_list_t rcpt;
    smtp_items_t att, url;
    kn_files_t files;
    uint8_t msg_ended; /* its message's final "." was seen (the reply to it ends the tx) */
    struct smtp_tx *next;
} smtp_tx_t;

typedef struct smtp_mime smtp_mime_t;

/* What the message parser may charge and keep: the owning state's byte counter and cap. */
typedef struct smtp_mem {
    size_t used, cap;
} smtp_mem_t;

/* Copies n bytes into *dst (owned, charged to m); 0 on success, -1 over the cap. */
int kn_smtp_keep(smtp_mem_t *m, kn_str_t *dst, const uint8_t *p, uint32_t n);
void kn_smtp_str_free(smtp_mem_t *m, kn_str_t *s);

smtp_mime_t *kn_smtp_mime_new(smtp_mem_t *mem);
void kn_smtp_mime_free(smtp_mime_t *m);
/* One line of the message (dot-unstuffed, CR LF removed); partial: the line goes on in the
 * next call (it was longer than the line buffer). */
void kn_smtp_mime_line(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t, const uint8_t *l,
                       uint32_t n, int partial);
/* The message ended (complete: its final "." was seen): the last part is finished and the
 * parser is ready for the next message. Files stay open for kn_smtp_mime_close. */
void kn_smtp_mime_end(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t, int complete);
/* Closes the files of the message just ended: parts that ended at their boundary complete,
 * the others truncated (called after the transaction was logged). */
void kn_smtp_mime_close(kn_app_io_t *io, smtp_mime_t *m);

/* Adds a copy of p tagged with its entity; 0 on success, -1 over the cap. */
int kn_smtp_items_add(smtp_mem_t *m, smtp_items_t *l, uint16_t ent, uint16_t parent,
                      const uint8_t *p, uint32_t n, uint8_t flags);
void kn_smtp_items_free(smtp_mem_t *m, smtp_items_t *l);
/* Fills l->out with what Suricata's email logger writes when entity top is the one being
 * parsed: top's own items (self) then those of top's children in order, each entity's newest
 * first (rev). Returns the flags of top's own items, with KN_EMAIL_URL_OWN when it has some. */
uint8_t kn_smtp_items_select(smtp_items_t *l, uint16_t top, int self, int rev);

/* A new entity's text begins (on: its URLs are extracted). */
void kn_smtp_url_part(smtp_url_scan_t *sc, uint16_t ent, uint16_t parent, int on);
/* Decoded text of the entity, in any pieces. */
void kn_smtp_url_text(kn_app_io_t *io, smtp_url_scan_t *sc, smtp_mem_t *m, smtp_items_t *l,
                      const uint8_t *p, uint32_t n);
/* The entity's text ended: a URL in progress is complete. */
void kn_smtp_url_end(kn_app_io_t *io, smtp_url_scan_t *sc, smtp_mem_t *m, smtp_items_t *l);

#endif
