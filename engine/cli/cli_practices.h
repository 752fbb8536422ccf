/*
 * cli_practices.h — the `acvtrack practices` command group (cli_practices.c). A header of its
 * own because the engine's practices.h must not know the command line's argument struct.
 */
#ifndef ACV_CLI_PRACTICES_H
#define ACV_CLI_PRACTICES_H

#include "cli.h"

/* import DIR | add FILE.yml | search [WORDS...] | show ID | list; returns the exit code. */
int cli_cmd_practices(cli_args *a);

/* The text of `acvtrack practices --help`, for cli.c's command table. */
#define CLI_PRACTICES_USAGE                                                                        \
    "acvtrack practices import DIR | add FILE.yml [--dry-run] | search WORDS... [--pillar ID] "    \
    "[--action-area ID] [--indicator ID] [--country CC] [--area CODE] [--year YEAR] [--limit N] "  \
    "| show ID [-o FILE] | list [filters]"
#define CLI_PRACTICES_HELP                                                                         \
    "The best-practice registry: what worked in which city, for which action area and\n"           \
    "indicators, with what evidence (docs/practices.md).\n"                                        \
    "import: reads every *.yml practice file in DIR (one practice per file), all or nothing;\n"    \
    "  each problem is listed as file:line:col: message. A practice already in the workspace\n"    \
    "  is replaced; an unchanged one is left alone. --dry-run checks without writing.\n"           \
    "add: the same for one file.\n"                                                                \
    "search: full-text search over title, summary, what was done and tags, best match first\n"     \
    "  (20 results unless --limit N); a word ending in * matches as a prefix. Filters:\n"          \
    "  --pillar, --action-area, --indicator, --country (of the practice's city), --area (the\n"    \
    "  city itself), --year (practices under way that year).\n"                                    \
    "show: one practice with the before/after values of its indicators, computed from the\n"       \
    "  city's observations in the workspace (Markdown; -o FILE to write it to a file).\n"          \
    "list: every practice in id order, with the same filters.\n"                                   \
    "`acvtrack init` loads the illustrative examples shipped in indicators/practices/."

#endif
