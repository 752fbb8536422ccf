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
int cli_cmd_history(cli_args *a);     /* cli_import.c */
int cli_cmd_imports(cli_args *a);     /* cli_import.c */
int cli_cmd_validate(cli_args *a);    /* cli_import.c */
int cli_cmd_status(cli_args *a);      /* cli_import.c */
int cli_cmd_rank(cli_args *a);        /* cli_rank.c */
int cli_cmd_review(cli_args *a);      /* cli_review.c */
int cli_cmd_submissions(cli_args *a); /* cli_review.c */
int cli_cmd_keys(cli_args *a);        /* cli_exchange.c */
int cli_cmd_submission(cli_args *a);  /* cli_exchange.c */

#endif
