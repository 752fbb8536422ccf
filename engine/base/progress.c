/*
 * progress.c — the progress line of long work (progress.h).
 */
#include "progress.h"

#include <math.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static double monotonic_now(void *ud)
{
    (void)ud;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_of(const acv_progress *p)
{
    return p->clock ? p->clock(p->clock_ud) : monotonic_now(NULL);
}

void acv_progress_init(acv_progress *p, FILE *out)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->columns = 80;
    struct winsize ws;
    if (out && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        p->columns = ws.ws_col;
}

FILE *acv_progress_terminal(int quiet)
{
    return !quiet && isatty(STDERR_FILENO) ? stderr : NULL;
}

void acv_progress_start(acv_progress *p, const char *label, uint64_t total, const char *unit)
{
    if (!p->out)
        return;
    acv_progress_clear(p);
    snprintf(p->label, sizeof p->label, "%s", label ? label : "");
    snprintf(p->unit, sizeof p->unit, "%s", unit ? unit : "");
    p->total = total;
    p->done = 0;
    p->start = p->last_draw = now_of(p);
    p->started = 1;
}

/* ---- formatting --------------------------------------------------------------------------- */

static const char *const BYTE_UNITS[] = {"B", "KiB", "MiB", "GiB"};

/* The binary unit that shows v best: B below 10 KiB, then the largest unit keeping >= 10. */
static int byte_scale(double v)
{
    int k = 0;
    while (k < 3 && v >= 10240.0) {
        v /= 1024.0;
        k++;
    }
    return k;
}

static void put_bytes(char *buf, size_t size, double v, int k)
{
    if (k == 0)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.1f", v / pow(1024.0, k));
}

static void put_duration(char *buf, size_t size, double seconds)
{
    long s = (long)floor(seconds + 0.5);
    if (s < 0)
        s = 0;
    if (s < 3600)
        snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
    else
        snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

/* Cuts s to at most n bytes at a UTF-8 character boundary. */
static size_t utf8_cut(const char *s, size_t n)
{
    size_t len = strlen(s);
    if (len <= n)
        return len;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

size_t acv_progress_format(const acv_progress *p, double now, int finished, char *buf, size_t size)
{
    char figures[160], a[32], b[32];
    int bytes = strcmp(p->unit, "B") == 0;
    size_t n = 0;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        if (n < sizeof figures)                                                                    \
            n += (size_t)snprintf(figures + n, sizeof figures - n, __VA_ARGS__);                   \
    } while (0)
    if (bytes) {
        int k = byte_scale(p->total ? (double)p->total : (double)p->done);
        put_bytes(a, sizeof a, (double)p->done, k);
        put_bytes(b, sizeof b, (double)p->total, k);
        if (p->total)
            PUT("%s/%s %s", a, b, BYTE_UNITS[k]);
        else
            PUT("%s %s", a, BYTE_UNITS[k]);
    } else if (p->total) {
        PUT("%llu/%llu %s", (unsigned long long)p->done, (unsigned long long)p->total, p->unit);
    } else {
        PUT("%llu %s", (unsigned long long)p->done, p->unit);
    }
    if (p->total) {
        uint64_t shown = p->done > p->total ? p->total : p->done;
        PUT(" %d%%", (int)(shown * 100 / p->total));
    }
    double elapsed = now - p->start;
    double rate = elapsed > 0 && p->done > 0 ? (double)p->done / elapsed : 0;
    if (rate > 0) {
        if (bytes) {
            int k = byte_scale(rate);
            put_bytes(a, sizeof a, rate, k);
            PUT(", %s %s/s", a, BYTE_UNITS[k]);
        } else {
            PUT(rate < 10 ? ", %.1f %s/s" : ", %.0f %s/s", rate, p->unit);
        }
    }
    if (finished) {
        put_duration(a, sizeof a, elapsed);
        PUT(", done in %s", a);
    } else if (rate > 0 && p->total > p->done) {
        put_duration(a, sizeof a, (double)(p->total - p->done) / rate);
        PUT(", %s left", a);
    }
#undef PUT
    if (n >= sizeof figures)
        n = sizeof figures - 1;
    /* the figures stay whole; a long label is cut to what the terminal has left */
    size_t columns = p->columns ? p->columns : 80;
    size_t room = columns - 1 > n + 2 ? columns - 1 - n - 2 : 0;
    size_t label_len = strlen(p->label);
    int cut = 0;
    if (label_len > room) {
        /* "..." marks a cut label; with no room for a character before it, the label goes */
        cut = room >= 4;
        label_len = cut ? utf8_cut(p->label, room - 3) : 0;
    }
    int len = snprintf(buf, size, "%.*s%s%s%.*s", (int)label_len, p->label, cut ? "..." : "",
                       label_len || cut ? ": " : "", (int)n, figures);
    if (len < 0)
        return 0;
    return (size_t)len < size ? (size_t)len : size ? size - 1 : 0;
}

/* ---- drawing ------------------------------------------------------------------------------ */

static void draw(acv_progress *p, double now, int finished)
{
    char line[512];
    size_t len = acv_progress_format(p, now, finished, line, sizeof line);
    fputc('\r', p->out);
    fwrite(line, 1, len, p->out);
    for (size_t i = len; i < p->shown; i++)
        fputc(' ', p->out);
    p->shown = len;
    p->last_draw = now;
    if (finished) {
        fputc('\n', p->out);
        p->shown = 0;
    }
    fflush(p->out);
}

void acv_progress_update(acv_progress *p, uint64_t done)
{
    if (!p->out || !p->started)
        return;
    p->done = done;
    double now = now_of(p);
    if (now - p->last_draw >= ACV_PROGRESS_INTERVAL)
        draw(p, now, 0);
}

void acv_progress_finish(acv_progress *p)
{
    if (!p->out || !p->started)
        return;
    draw(p, now_of(p), 1);
    p->started = 0;
}

void acv_progress_clear(acv_progress *p)
{
    if (!p->out || !p->shown)
        return;
    fputc('\r', p->out);
    for (size_t i = 0; i < p->shown; i++)
        fputc(' ', p->out);
    fputc('\r', p->out);
    fflush(p->out);
    p->shown = 0;
    /* drawn again at the next update */
    p->last_draw = -1e300;
}
