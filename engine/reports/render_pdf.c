/*
 * render_pdf.c — the HTML report (or comparison) printed to PDF by headless Chromium; see render.h
 * and docs/reports.md.
 *
 * The page is render_html.c's, unchanged: its print stylesheet (@page A4, @media print) lays it
 * out for paper, and Chromium embeds a subset of every font it draws with (the Noto fonts of
 * fonts-noto-core give Thai and Khmer their glyphs). The page, Chromium's profile and the PDF live
 * in a private temporary folder (scratch.h); the PDF is read back into the output buffer, which
 * the command publishes atomically. Chromium runs without a shell, in a process group of its own
 * so that it and its helpers can be stopped together after PDF_TIMEOUT_SECONDS. Its own sandbox is
 * kept, except for root, where Chromium refuses to start with it: the page is the engine's own,
 * with no script and nothing fetched.
 */
#include "render.h"
#include "atomicfile.h"
#include "compare.h"
#include "report.h"
#include "scratch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define PDF_TIMEOUT_SECONDS 180
#define PDF_MAX_BYTES ((size_t)1 << 30)

/* An executable file named name in one of the folders of $PATH, into path. */
static int on_path(const char *name, char *path, size_t size)
{
    const char *dirs = getenv("PATH");
    if (!dirs || !*dirs)
        dirs = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = dirs; *p;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n) {
            int w = snprintf(path, size, "%.*s/%s", (int)n, p, name);
            if (w > 0 && (size_t)w < size && access(path, X_OK) == 0)
                return 1;
        }
        p += n + (end != NULL);
    }
    return 0;
}

/* The Chromium to print with: $ACVTRACK_CHROMIUM, else the first of the usual names on the PATH. */
static acv_status find_chromium(char *path, size_t size, acv_error *err)
{
    const char *env = getenv("ACVTRACK_CHROMIUM");
    if (env && *env) {
        if (access(env, X_OK) != 0)
            return acv_error_set(err, ACV_ERR_IO,
                                 "cannot print the PDF: ACVTRACK_CHROMIUM is '%s', which is not "
                                 "an executable file",
                                 env);
        snprintf(path, size, "%s", env);
        return ACV_OK;
    }
    static const char *const names[] = {"chromium", "chromium-browser", "google-chrome",
                                        "google-chrome-stable"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (on_path(names[k], path, size))
            return ACV_OK;
    return acv_error_set(err, ACV_ERR_IO,
                         "cannot print the PDF: Chromium was not found (looked for chromium, "
                         "chromium-browser and google-chrome on the PATH); install it "
                         "(Debian: apt-get install chromium fonts-noto-core) or set "
                         "ACVTRACK_CHROMIUM to its path, or use --format html and print from a "
                         "browser");
}

/* The last non-empty line of Chromium's log, for an error message. */
static void last_line(const acv_scratch *sc, char *line, size_t size)
{
    line[0] = '\0';
    acv_buf log = {0};
    acv_error ignored;
    if (acv_scratch_read(sc, "chromium.log", 1 << 20, &log, "the log", &ignored) == ACV_OK &&
        log.data) {
        size_t n = log.len;
        while (n && (log.data[n - 1] == '\n' || log.data[n - 1] == '\r'))
            n--;
        size_t start = n;
        while (start && log.data[start - 1] != '\n')
            start--;
        if (n > start)
            snprintf(line, size, ": %.*s", (int)(n - start), log.data + start);
    }
    acv_buf_free(&log);
}

/* Runs argv with its output in the scratch folder's chromium.log; waits at most
 * PDF_TIMEOUT_SECONDS. */
static acv_status run_chromium(const acv_scratch *sc, char *const argv[], acv_error *err)
{
    char *log = acv_scratch_path(sc, "chromium.log");
    if (!log)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    free(log);
    if (rc != 0)
        return acv_error_set(err, ACV_ERR_IO, "cannot print the PDF: cannot start %s: %s", argv[0],
                             strerror(rc));
    int status = 0;
    struct timespec pause = {0, 50 * 1000 * 1000};
    long waited_ms = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return acv_error_set(err, ACV_ERR_IO, "cannot print the PDF: waiting for %s: %s",
                                 argv[0], strerror(errno));
        if (waited_ms >= PDF_TIMEOUT_SECONDS * 1000L) {
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return acv_error_set(err, ACV_ERR_IO,
                                 "cannot print the PDF: %s did not finish in %d seconds", argv[0],
                                 PDF_TIMEOUT_SECONDS);
        }
        nanosleep(&pause, NULL);
        waited_ms += 50;
    }
    /* helpers Chromium left behind go with it */
    kill(-pid, SIGKILL);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char line[400];
        last_line(sc, line, sizeof line);
        if (WIFEXITED(status))
            return acv_error_set(err, ACV_ERR_IO,
                                 "cannot print the PDF: %s exited with status %d%s", argv[0],
                                 WEXITSTATUS(status), line);
        return acv_error_set(err, ACV_ERR_IO, "cannot print the PDF: %s stopped by signal %d%s",
                             argv[0], WTERMSIG(status), line);
    }
    return ACV_OK;
}

/* Prints the HTML page in html to PDF and appends the PDF's bytes to out. */
static acv_status print_html(const acv_buf *html, acv_buf *out, acv_error *err)
{
    char chromium[4096];
    acv_status st = find_chromium(chromium, sizeof chromium, err);
    if (st != ACV_OK)
        return st;
    acv_scratch sc;
    st = acv_scratch_open(&sc, "the PDF", err);
    if (st != ACV_OK)
        return st;
    char *page = acv_scratch_path(&sc, "report.html");
    char *profile = acv_scratch_path(&sc, "profile");
    char *pdf = acv_scratch_path(&sc, "report.pdf");
    acv_buf url = {0}, profile_arg = {0}, pdf_arg = {0};
    if (!page || !profile || !pdf)
        st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    if (st == ACV_OK)
        st = acv_write_file_atomic(page, html->data ? html->data : "", html->len, 0, err);
    if (st == ACV_OK) {
        acv_buf_printf(&url, "file://%s", page);
        acv_buf_printf(&profile_arg, "--user-data-dir=%s", profile);
        acv_buf_printf(&pdf_arg, "--print-to-pdf=%s", pdf);
        if (url.failed || profile_arg.failed || pdf_arg.failed)
            st = acv_error_set(err, ACV_ERR_NOMEM, "out of memory");
    }
    if (st == ACV_OK) {
        char *argv[16];
        int n = 0;
        argv[n++] = chromium;
        argv[n++] = "--headless";
        argv[n++] = "--disable-gpu";
        if (geteuid() == 0)
            argv[n++] = "--no-sandbox";
        argv[n++] = "--no-first-run";
        argv[n++] = "--disable-dev-shm-usage";
        argv[n++] = "--disable-extensions";
        argv[n++] = "--no-pdf-header-footer";
        argv[n++] = profile_arg.data;
        argv[n++] = pdf_arg.data;
        argv[n++] = url.data;
        argv[n] = NULL;
        st = run_chromium(&sc, argv, err);
    }
    if (st == ACV_OK) {
        size_t before = out->len;
        st = acv_scratch_read(&sc, "report.pdf", PDF_MAX_BYTES, out, "the PDF", err);
        if (st == ACV_OK && (out->len - before < 5 || memcmp(out->data + before, "%PDF-", 5) != 0))
            st = acv_error_set(err, ACV_ERR_IO, "cannot print the PDF: %s wrote no PDF", chromium);
    }
    acv_buf_free(&url);
    acv_buf_free(&profile_arg);
    acv_buf_free(&pdf_arg);
    free(page);
    free(profile);
    free(pdf);
    acv_scratch_close(&sc);
    return st;
}

acv_status acv_render_pdf(const acv_report_model *m, acv_buf *out, acv_error *err)
{
    acv_buf html = {0};
    acv_status st = acv_render_html(m, &html, err);
    if (st == ACV_OK)
        st = print_html(&html, out, err);
    acv_buf_free(&html);
    return st;
}

acv_status acv_render_compare_pdf(const acv_compare_model *c, acv_buf *out, acv_error *err)
{
    acv_buf html = {0};
    acv_status st = acv_render_compare_html(c, &html, err);
    if (st == ACV_OK)
        st = print_html(&html, out, err);
    acv_buf_free(&html);
    return st;
}
