/*
 * submission.h — signed submission packages (docs/submissions.md): a city's package of its
 * observations (with provenance and earlier versions), self-assessment answers and stored runs;
 * receiving one into a ministry's or the secretariat's workspace through the row API of
 * import.h; and forwarding received packages, each with its original signature, inside the
 * forwarder's own signed package.
 *
 * A package is one SQLite file (schema in storage_package.h). Its content hash is the SHA-256
 * of a canonical serialisation of every table but `signature`; the signature (Ed25519, keys.h)
 * covers every byte of the file but the 64 bytes it occupies, so one byte changed anywhere is
 * refused. A package is read from memory after its size is checked, so what is verified is
 * exactly what is imported.
 */
#ifndef ACV_SUBMISSION_H
#define ACV_SUBMISSION_H

#include "context.h"
#include "keys.h"
#include "storage_exchange.h"
#include "util.h"

/* The largest package file read (bytes): $ACVTRACK_MAX_PACKAGE_BYTES, else this. */
#define ACV_PACKAGE_MAX_BYTES (256u * 1024u * 1024u)
/* The most packages one forward may carry. */
#define ACV_FORWARD_MAX_PACKAGES 100000

/* ---- A package opened and verified ----------------------------------------------------------- */

typedef struct {
    unsigned char *bytes; /* the file, owned */
    size_t len;
    acv_pkgdb *db; /* read-only over bytes */
    char name[512];
    acv_public_key signer; /* the key it is signed with (verified) */
    char content_hash[65], submission_id[17], kind[16], areas[256];
    char framework_id[128], framework_version[64], framework_hash[65];
    char overlay[256], overlay_hash[65], methods_hash[65], acvtrack_version[32], created_at[32];
    int first_year, last_year;
} acv_package;

/* The size limit in force: $ACVTRACK_MAX_PACKAGE_BYTES when set to a positive number. */
size_t acv_package_max_bytes(void);

/* Reads a package file, refusing (ACV_ERR_INPUT, nothing else done) what is not a package, is
 * larger than max, was made by a newer acvtrack, is not signed, whose signature does not verify
 * or whose content hash does not match its manifest. */
acv_status acv_package_open_file(const char *path, size_t max, acv_package **out, acv_error *err);
/* The same for bytes in memory (copied). */
acv_status acv_package_open_bytes(const unsigned char *bytes, size_t len, const char *name,
                                  acv_package **out, acv_error *err);
void acv_package_free(acv_package *p);

/* ---- Create ---------------------------------------------------------------------------------- */

typedef struct {
    const char *area;   /* the area; every area under it comes too */
    int year;           /* 0: every year */
    int64_t since;      /* continue after this sent package (its number in submissions_sent);
                         * 0: after the last acknowledged one, or everything when none was */
    int full;           /* everything, whatever was sent before */
    const char *output; /* the package file */
} acv_submission_request;

typedef struct {
    char submission_id[17], content_hash[65], key_id[17];
    long areas, observations, revisions, answers, runs, forwarded;
    int64_t after_import, through_import, sent_id;
    int first_year, last_year;
} acv_submission_summary;

acv_status acv_submission_create(acv_ctx *ctx, const acv_submission_request *req,
                                 acv_submission_summary *out, acv_error *err);

/* ---- Forward --------------------------------------------------------------------------------- */

/* Which received packages a forward carries: non-zero to keep r (the review workflow keeps the
 * accepted ones). r->package is set. */
typedef int (*acv_forward_filter)(void *ud, const acv_received *r);

/* The received city packages (kind 'submission') for req->area and the areas under it, in the
 * order they were received, that filter keeps (NULL: all): fn is called for each. */
acv_status acv_forward_select(acv_ctx *ctx, const char *area, acv_forward_filter filter,
                              void *filter_ud, int (*fn)(void *ud, const acv_received *r), void *ud,
                              acv_error *err);

/* `submission forward`: a package of kind 'forward' signed with this workspace's key that
 * holds every selected received package unchanged (its original signature inside). req->year,
 * since and full are not used. */
acv_status acv_submission_forward(acv_ctx *ctx, const acv_submission_request *req,
                                  acv_forward_filter filter, void *filter_ud,
                                  acv_submission_summary *out, acv_error *err);

/* ---- Receive --------------------------------------------------------------------------------- */

typedef struct {
    char submission_id[17], sender[17], sender_label[ACV_KEY_LABEL_MAX], kind[16], areas[256];
    int already;           /* received before: nothing changed */
    long packages;         /* city packages imported (1, or those a forward carried) */
    long packages_already; /* of a forward's, those received before */
    long observations, added, changed, unchanged;
    long superseded; /* a forward's values a later package in it replaces */
    long answers, runs, conflicts;
    int64_t import_id;
    char framework_note[256]; /* a different framework version, else "" */
} acv_receive_summary;

/* `submission receive FILE`: verifies the package (acv_package_open_file), the sender's right to
 * every area it carries data for (trusted keys), the framework (same id; indicators the
 * workspace does not know are refused, listed), then imports it in one transaction: areas it
 * brings, observations with provenance "submission S from AREA, key K, FILE" at the original
 * line, answers, the sender's runs, the overlay disclosure, and the package's bytes. A value
 * that replaces one held from another source is listed in `conflicts` (one line each) and in
 * submission_conflicts. The same package twice changes nothing. */
acv_status acv_submission_receive(acv_ctx *ctx, const char *path, acv_buf *conflicts,
                                  acv_receive_summary *out, acv_error *err);

#endif
