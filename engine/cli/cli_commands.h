/*
 * cli_commands.h — the command functions that live outside cli.c, one per cli_<name>.c file.
 */
#ifndef ACV_CLI_COMMANDS_H
#define ACV_CLI_COMMANDS_H

#include "cli.h"

int cli_cmd_report(cli_args *a);
int cli_cmd_import(cli_args *a);
int cli_cmd_plugins(cli_args *a);
int cli_cmd_export(cli_args *a);
int cli_cmd_history(cli_args *a);          /* cli_import.c */
int cli_cmd_imports(cli_args *a);          /* cli_import.c */
int cli_cmd_validate(cli_args *a);         /* cli_import.c */
int cli_cmd_status(cli_args *a);           /* cli_import.c */
int cli_cmd_rank(cli_args *a);             /* cli_rank.c */
int cli_cmd_keys(cli_args *a);             /* cli_exchange.c */
int cli_cmd_submission(cli_args *a);       /* cli_exchange.c */
int cli_cmd_runs(cli_args *a);             /* cli_runs.c */
int cli_cmd_template(cli_args *a);         /* cli_template.c */
int cli_cmd_areas_boundaries(cli_args *a); /* cli_boundaries.c: areas change, areas carry */
/* ACV_ERR_INPUT when the area's boundaries ended before year (score a successor instead). */
acv_status cli_check_boundary_year(acv_ctx *ctx, const char *area, int year, acv_error *err);
int cli_cmd_review(cli_args *a);      /* cli_review.c */
int cli_cmd_submissions(cli_args *a); /* cli_review.c */

#endif
