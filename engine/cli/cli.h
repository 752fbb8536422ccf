/*
 * cli.h — what the command-line files share: the parsed arguments and the helpers that print
 * results and map engine statuses to exit codes. Each group of commands lives in its own
 * cli_<name>.c; cli.c holds main, the option table and the command table.
 */
#ifndef ACV_CLI_H
#define ACV_CLI_H

#include "context.h"
#include "progress.h"
#include "util.h"

#include <stdio.h>

#define CLI_MAX_OPTS 32
#define CLI_MAX_COMMENTS 64

/* A --comment TEXT, with the --indicator CODE and --period P given since the previous --comment
 * (NULL when none: a comment on the whole dataset). */
typedef struct {
    const char *indicator, *period, *text;
} cli_comment;

typedef struct {
    acv_ctx_options ctx;
    int quiet;
    const char *area;        /* --area */
    int year;                /* --year, 0 when absent */
    const char *output;      /* -o/--output */
    const char *pillar;      /* --pillar */
    const char *action_area; /* --action-area */
    const char *indicator;   /* --indicator */
    int core_only, optional_only;
    const char *sdg;
    const char *country;
    const char *level;
    const char *format;                     /* --format */
    int json;                               /* --json */
    int all;                                /* --all */
    int limit;                              /* --limit N, 0 when absent */
    int jobs;                               /* --jobs N, 0 when absent */
    int dry_run;                            /* --dry-run */
    int strict;                             /* --strict */
    int force;                              /* --force (imports revert) */
    int verbose;                            /* --verbose (score --all: one line per area) */
    int keep_latest;                        /* --keep-latest N (runs prune), 0 when absent */
    const char *before;                     /* --before DATE (runs prune) */
    const char *rejects;                    /* --rejects FILE */
    const char *compare;                    /* --compare CODE1,CODE2 */
    const char *by;                         /* --by overall|pillar|action-area (rank) */
    const char *parent;                     /* --parent CODE (rank) */
    const char *period;                     /* --period P */
    cli_comment comments[CLI_MAX_COMMENTS]; /* --comment, in order (review) */
    int n_comments;
    const char *pending_indicator; /* an --indicator or --period not yet followed by --comment */
    const char *pending_period;
    const char *as_of;              /* --as-of YYYY-MM-DD (submissions) */
    const char *areas;              /* --areas CODE,... (keys trust) */
    long since;                     /* --since N (submission create), 0 when absent */
    int full;                       /* --full (submission create) */
    const char *highlight;          /* --highlight CODE,... (report --compare) */
    int top;                        /* --top N (report --compare), 0 when absent */
    const char *uncertainty;        /* --uncertainty N (rank) */
    const char *seed;               /* --seed S (rank --uncertainty) */
    int sensitivity;                /* --sensitivity (rank --uncertainty) */
    const char *assumptions;        /* --assumptions FILE (rank --uncertainty) */
    const char *calendar;           /* --calendar NAME (import, report) or FILE (submissions) */
    const char *to;                 /* --to CODE (areas carry) */
    const char *opts[CLI_MAX_OPTS]; /* --opt key=value, in order */
    int n_opts;
    int argc;
    char **argv; /* positional arguments after the command */
} cli_args;

/* Prints "acvtrack: message" on stderr and returns the status's exit code. */
int cli_fail(acv_status st, const acv_error *err);
/* Prints a usage error for `acvtrack CMD` (cmd ends with a space, or is "") and returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);
/* The command's progress line (progress.h): on stderr when it is a terminal, never with --quiet. */
void cli_progress_init(const cli_args *a, acv_progress *p);
/* A message on stderr unless --quiet. */
void cli_note(const cli_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes b to -o FILE (whole or not at all) or to standard output. */
acv_status cli_emit(const cli_args *a, const acv_buf *b, const char *what, acv_error *err);
/* Clears err and opens the workspace with what `needs` names (context.h). Returns 0, or after
 * printing the error its exit code (*ctx stays NULL). */
int cli_open(cli_args *a, unsigned needs, acv_ctx **ctx, acv_error *err);

/* Writes a command's text into out from the open workspace; ud is the command's own. */
typedef acv_status (*cli_text_fn)(acv_ctx *ctx, const cli_args *a, const void *ud, acv_buf *out,
                                  acv_error *err);
/* A command whose result is one text: opens the workspace with `needs`, lets write() fill a
 * buffer, closes the workspace, then emits the text (cli_emit; `what` names it). Returns the exit
 * code. */
int cli_run_text(cli_args *a, unsigned needs, const char *what, cli_text_fn write, const void *ud);

/* The --opt list a plugin gets: the user's --opt KEY=VALUE in order, then area=CODE for --area
 * and, when with_year, year=YEAR for --year. Lives in the caller's frame (opts point into it). */
typedef struct {
    const char *opts[CLI_MAX_OPTS + 2];
    size_t n;
    char area[128], year[32];
} cli_plugin_opts;
/* cli_open for running a plugin (the store and Lua), and the plugin's --opt list into *po. */
int cli_open_for_plugin(cli_args *a, int with_year, acv_ctx **ctx, cli_plugin_opts *po,
                        acv_error *err);

#endif
