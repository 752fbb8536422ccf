/*
 * render_html.c — the self-contained HTML report of one area and of a comparison; see report.h
 * and compare.h.
 *
 * One file a city officer can mail or put on a projector: inline CSS and SVG only, no script, no
 * font or image from the network (a Content-Security-Policy forbids any, so a mistake shows up as
 * a console error in the browser test instead of a silent request). Charts carry <title>/<desc>
 * and aria labels so a screen reader reads the numbers; progress is shown as a colour of the
 * Okabe–Ito palette (safe for the common colour-vision deficiencies) and always with a symbol and
 * words as well. Every string that comes from data (area names in any script, indicator names,
 * notes) goes through esc().
 */
#include "render.h"
#include "compare.h"
#include "format.h"
#include "report.h"
#include "table.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- formatting -------------------------------------------------------------------------- */

/* Text and attribute values alike: both quotes are escaped so esc() is safe inside "..." and
 * '...'. Control characters other than tab and newline are dropped: they have no business in a
 * name and some are not allowed in HTML at all. */
static const char *const ENTITIES[128] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};

static void esc(acv_buf *b, const char *s)
{
    for (const char *p = s; p && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 128 && ENTITIES[c])
            acv_buf_puts(b, ENTITIES[c]);
        else if (c >= 0x80)
            p += acv_buf_utf8_char(b, p) - 1;
        else if (c >= 0x20 || c == '\t' || c == '\n')
            acv_buf_append(b, p, 1);
    }
}

static void number(acv_buf *b, double v)
{
    char s[64];
    acv_format_number(s, sizeof s, v);
    acv_buf_puts(b, s);
}

/* Whether a value reads better with its unit after it: a count needs none, and "62" says more
 * than "62 score 0–100". */
static int shows_unit(const char *unit)
{
    return unit && *unit && strcmp(unit, "count") != 0 && strncmp(unit, "score", 5) != 0;
}

/* A value with its unit: "90%", "0.1 per 100,000". */
static void value_unit(acv_buf *b, double v, const char *unit)
{
    number(b, v);
    if (!shows_unit(unit))
        return;
    if (strcmp(unit, "%") != 0)
        acv_buf_puts(b, " ");
    esc(b, unit);
}

static void no_data(acv_buf *b)
{
    acv_buf_puts(b, "<span class=\"nodata\">no data</span>");
}

static void text_or_no_data(acv_buf *b, const char *s)
{
    if (s)
        esc(b, s);
    else
        no_data(b);
}

static void score_or_no_data(acv_buf *b, int has, double score)
{
    if (has)
        acv_buf_printf(b, "%.1f", score);
    else
        no_data(b);
}

/* A whole number in full with thousands separators: "10,500,000". */
static void whole_number(acv_buf *b, double v)
{
    char s[64];
    if (fabs(v) >= ACV_FORMAT_EXPONENT_FROM) /* no 309-digit number */
        snprintf(s, sizeof s, "%.3g", v);
    else {
        snprintf(s, sizeof s, "%.0f", v);
        acv_format_thousands(s, sizeof s);
    }
    acv_buf_puts(b, s);
}

/* An id usable in id="" and aria-labelledby: letters and digits only, made unique by a counter
 * kept by the caller's document. */
static void dom_id(acv_buf *b, const char *prefix, const char *code, size_t n)
{
    acv_buf_printf(b, "%s-", prefix);
    for (const char *p = code; p && *p; p++)
        acv_buf_append(
            b,
            (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ? p
                                                                                             : "-",
            1);
    acv_buf_printf(b, "-%zu", n);
}

/* ---- progress classes -------------------------------------------------------------------- */

/* A progress class as a badge: its symbol and words from the run's vocabulary, on the colour
 * the vocabulary gives it (the method's traffic light, drawn in Okabe–Ito hues). */
static void progress_badge(acv_buf *b, const acv_vocabulary *v, const char *class_name)
{
    if (!class_name || !*class_name) {
        acv_buf_puts(b, "<span class=\"pg pg-none\" title=\"This run gives no progress class for "
                        "this indicator\"><span class=\"sym\" aria-hidden=\"true\">–</span> no "
                        "trend</span>");
        return;
    }
    const char *sym = acv_vocab_symbol(v, class_name);
    const char *colour = acv_vocab_colour(v, class_name);
    static const char *const KNOWN[] = {"green", "yellow", "orange", "red"};
    const char *key = "grey";
    for (size_t i = 0; i < sizeof KNOWN / sizeof *KNOWN; i++)
        if (strcmp(colour, KNOWN[i]) == 0)
            key = KNOWN[i];
    acv_buf_printf(b, "<span class=\"pg pg-%s\"><span class=\"sym\" aria-hidden=\"true\">", key);
    esc(b, *sym ? sym : "?");
    acv_buf_puts(b, "</span> ");
    esc(b, acv_vocab_label(v, class_name));
    acv_buf_puts(b, "</span>");
}

/* ---- the page ---------------------------------------------------------------------------- */

static const char CSS[] =
    ":root{--ink:#17202b;--muted:#5a6675;--line:#d8dee6;--soft:#f3f5f8;--navy:#0b2545;"
    "--blue:#0072B2;--sky:#56B4E9;--green:#009E73;--orange:#E69F00;--yellow:#F0E442;"
    "--verm:#D55E00;--purple:#CC79A7;--grey:#9aa4b1}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;color:var(--ink);background:#fff;font:15px/1.5 \"Noto Sans\",\"Segoe UI\","
    "system-ui,-apple-system,Roboto,\"Helvetica Neue\",Arial,\"Noto Sans Thai\",\"Noto Sans "
    "Khmer\",sans-serif;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    ".wrap{max-width:1120px;margin:0 auto;padding:0 28px}\n"
    "h1,h2,h3{line-height:1.2;margin:0}\n"
    "h2{font-size:1.45rem;margin:0 0 .35rem;color:var(--navy)}\n"
    "h3{font-size:1.1rem;margin:1.6rem 0 .6rem;color:var(--navy)}\n"
    "p{margin:.4rem 0}\n"
    "code,.mono{font-family:\"Noto Sans Mono\",\"DejaVu Sans Mono\",Consolas,monospace;"
    "font-size:.88em}\n"
    ".mast{background:linear-gradient(135deg,#0b2545 0%,#13406b 100%);color:#fff;"
    "padding:30px 0 22px}\n"
    ".kicker{text-transform:uppercase;letter-spacing:.09em;font-size:.78rem;color:#b9d3ea;"
    "margin:0 0 6px}\n"
    ".mast h1{font-size:2.3rem;font-weight:700}\n"
    ".mast .sub{color:#d5e3f0;font-size:1.02rem;margin-top:6px}\n"
    ".mast-grid{display:grid;grid-template-columns:auto 1fr;gap:34px;align-items:center;"
    "margin-top:20px}\n"
    ".gauge{display:flex;align-items:center;gap:16px}\n"
    ".gauge svg{width:132px;height:132px;flex:none}\n"
    ".gauge .big{font-size:1.05rem;color:#d5e3f0}\n"
    ".gauge strong{display:block;font-size:1.25rem;color:#fff}\n"
    ".profile{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:10px 24px;"
    "margin:0}\n"
    ".profile div{border-left:3px solid #56B4E9;padding-left:10px}\n"
    ".profile dt{font-size:.74rem;text-transform:uppercase;letter-spacing:.06em;"
    "color:#9fc0dd}\n"
    ".profile dd{margin:0;color:#fff;overflow-wrap:anywhere}\n"
    ".stamp{margin-top:18px;font-size:.8rem;color:#a9c2da;border-top:1px solid "
    "rgba(255,255,255,.18);padding-top:10px}\n"
    ".stamp code{color:#e2edf7}\n"
    ".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:14px;"
    "margin:-1px 0 0;padding:18px 0 4px}\n"
    ".tile{background:var(--soft);border-radius:10px;padding:12px 16px;border-top:4px solid "
    "var(--blue)}\n"
    ".tile .name{font-weight:600;color:var(--navy)}\n"
    ".tile .score{font-size:1.9rem;font-weight:700;line-height:1.1}\n"
    ".tile .score small{font-size:.9rem;font-weight:400;color:var(--muted)}\n"
    ".tile .meta{font-size:.82rem;color:var(--muted)}\n"
    ".tile .score .nodata{font-size:1.05rem;font-weight:400}\n"
    "section{padding:26px 0 8px}\n"
    ".lead{color:var(--muted);max-width:60em}\n"
    ".prio{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:14px;"
    "margin-top:12px}\n"
    ".prio article{border:1px solid var(--line);border-radius:10px;padding:14px 16px;"
    "position:relative;break-inside:avoid}\n"
    ".prio .rank{position:absolute;top:12px;right:14px;font-size:1.9rem;font-weight:700;"
    "color:#c4ccd6}\n"
    ".prio h3{margin:0 44px 2px 0;font-size:1.05rem}\n"
    ".prio .pill{font-size:.78rem;color:var(--muted)}\n"
    ".prio ul{margin:.5rem 0 0;padding-left:1.1rem}\n"
    ".prio li{margin:.15rem 0}\n"
    "ul.reasons{margin:0;padding:0;list-style:none}ul.reasons li{display:inline}"
    "ul.reasons li+li:before{content:\" · \";color:var(--grey)}\n"
    ".meter{height:8px;background:#e6eaf0;border-radius:4px;overflow:hidden;margin:6px 0 2px}\n"
    ".meter span{display:block;height:100%;background:var(--verm)}\n"
    ".meter.score span{background:var(--blue)}\n"
    ".chart{width:100%;height:auto;display:block;margin:8px 0 4px}\n"
    ".chart text{font-family:inherit;fill:var(--ink)}\n"
    ".chart .axis text{fill:var(--muted);font-size:11px}\n"
    ".chart .grid{stroke:#e3e7ed;stroke-width:1}\n"
    ".chart .val{font-size:12px;font-weight:600}\n"
    ".chart .nd{font-size:12px;font-style:italic;fill:var(--muted);paint-order:stroke;"
    "stroke:#fff;stroke-width:4px}\n"
    ".chart .grp{font-size:13px;font-weight:700;fill:var(--navy)}\n"
    ".s0{fill:#0072B2}.s1{fill:#E69F00}.s2{fill:#009E73}.s3{fill:#CC79A7}.s4{fill:#56B4E9}"
    ".s5{fill:#D55E00}.s6{fill:#F0E442;stroke:#8a7f00}.sagg{fill:#3d4652}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:8px 18px;font-size:.85rem;color:var(--muted);"
    "margin:8px 0}\n"
    ".legend span{display:inline-flex;align-items:center;gap:6px}\n"
    ".pg{display:inline-flex;align-items:center;gap:5px;border-radius:999px;padding:1px 10px "
    "1px 8px;font-size:.8rem;font-weight:600;color:#111;white-space:nowrap;border:1px solid "
    "rgba(0,0,0,.15)}\n"
    ".pg .sym{font-size:.95rem}\n"
    ".pg-green{background:#009E73;color:#fff}.pg-yellow{background:#F0E442}"
    ".pg-orange{background:#E69F00}.pg-red{background:#D55E00;color:#fff}"
    ".pg-grey{background:#e3e7ed}"
    ".pg-none{background:#fff;color:var(--muted);font-weight:400}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:14px}\n"
    ".card{border:1px solid var(--line);border-radius:10px;padding:12px 14px 10px;"
    "break-inside:avoid;display:flex;flex-direction:column}\n"
    ".card .top{display:flex;justify-content:space-between;align-items:center;gap:4px 8px;"
    "flex-wrap:wrap}\n"
    ".card .id{font-size:.75rem;color:var(--muted)}\n"
    ".card h4{margin:2px 0 6px;font-size:.95rem;line-height:1.3}\n"
    ".card .now{display:flex;align-items:baseline;gap:10px;flex-wrap:wrap}\n"
    ".card .num{font-size:1.55rem;font-weight:700}\n"
    ".card .when{color:var(--muted);font-size:.85rem}\n"
    ".card .facts{display:grid;grid-template-columns:1fr 1fr;gap:2px 12px;font-size:.82rem;"
    "margin-top:auto;padding-top:6px;border-top:1px dashed var(--line)}\n"
    ".card .facts b{font-weight:600;color:var(--muted)}\n"
    ".card .note{font-size:.8rem;color:var(--muted);margin:4px 0 0}\n"
    ".spark .line{fill:none;stroke:#0b2545;stroke-width:2}\n"
    ".spark .pt{fill:#0b2545}\n"
    ".spark .last{fill:#fff;stroke:#0b2545;stroke-width:2}\n"
    ".spark .base{stroke:#6b7684;stroke-width:1.2;stroke-dasharray:2 3}\n"
    ".spark .target{stroke:#009E73;stroke-width:2;stroke-dasharray:7 4}\n"
    ".spark .tlabel{fill:#00785a;font-size:12px;font-weight:600}\n"
    ".spark .blabel{fill:#5a6675;font-size:12px}\n"
    ".chart.spark .axis text{font-size:12px}\n"
    ".imp{display:inline-block;font-size:.72rem;font-weight:600;color:#7a4b00;background:#fff3d6;"
    "border:1px solid #e8c77a;border-radius:4px;padding:0 5px;text-decoration:none}\n"
    ".adapted{display:inline-block;font-size:.72rem;font-weight:600;color:#6b2f5a;"
    "background:#f7e6f0;border:1px solid #d9a6c6;border-radius:4px;padding:0 5px}\n"
    ".nodata{color:var(--muted);font-style:italic}\n"
    ".fold{font-size:.86rem;color:var(--muted);margin:10px 0}\n"
    ".fold p{margin:0}.fold>ul{list-style:none;margin:.2rem 0 0;padding:0}"
    ".fold>ul>li{margin:.15rem 0}\n"
    "ul.inline{display:inline;margin:0;padding:0;list-style:none}ul.inline li{display:inline}"
    "ul.inline li+li:before{content:\" · \";color:var(--grey)}\n"
    /* a table or chart wider than a phone scrolls inside its box, never the page */
    ".scroll{overflow-x:auto;max-width:100%;margin:8px 0 14px}\n"
    ".scroll>table.data{margin:0;min-width:38rem}\n"
    ".scroll>.chart.bars{min-width:560px;margin:0}\n"
    "table.data{border-collapse:collapse;width:100%;font-size:.84rem;margin:8px 0 14px}\n"
    "table.data caption{text-align:left;font-weight:700;color:var(--navy);padding:6px 0}\n"
    "table.data th,table.data td{border-bottom:1px solid var(--line);padding:5px 8px;"
    "text-align:left;vertical-align:top}\n"
    "table.data thead th{background:var(--soft);font-weight:600;border-bottom:2px solid "
    "#b9c3cf}\n"
    "table.data td.n,table.data th.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "table.data tbody tr:nth-child(even){background:#fafbfc}\n"
    "table.data .pg{white-space:normal;font-size:.74rem}\n"
    "table.data td.t{white-space:nowrap}\n"
    "table.data .prov{white-space:normal}\n"
    ".changes li{margin:.25rem 0}\n"
    ".box{background:var(--soft);border-radius:10px;padding:14px 18px}\n"
    "footer{margin-top:26px;padding:18px 0 30px;border-top:1px solid var(--line);"
    "font-size:.8rem;color:var(--muted)}\n"
    "@media (max-width:760px){.mast-grid{grid-template-columns:1fr}.profile{grid-template-"
    "columns:1fr 1fr}}\n"
    "@media (max-width:480px){.wrap{padding:0 16px}.mast h1{font-size:1.8rem}"
    ".cards,.prio{grid-template-columns:minmax(0,1fr)}.card{padding:10px 12px 8px}}\n"
    /* Paper: the demo city on at most 6 A4 pages (the browser test counts them). Smaller type,
     * four indicator cards a row filled column by column, bar charts at 62% width, the header
     * and priorities compact; the full table is left out because the cards carry the same
     * figures, and so is the cards' "better when" line. Cards, priority cards, table rows and
     * charts are never cut across a page, and table headers repeat on each page. */
    "@page{size:A4;margin:10mm 10mm 12mm}\n"
    "@media print{html{font-size:10.5px}body{font-size:8pt;line-height:1.3}"
    ".wrap{max-width:none;padding:0}"
    ".mast{padding:8px 10px 6px;background:#0b2545}.mast h1{font-size:17pt}"
    ".mast .sub{font-size:9pt;margin-top:2px}.kicker{margin:0 0 2px}"
    ".mast-grid{grid-template-columns:auto 1fr;gap:16px;margin-top:6px}"
    ".gauge svg{width:80px;height:80px}"
    ".profile{grid-template-columns:repeat(3,minmax(0,1fr));gap:4px 14px}"
    ".stamp{margin-top:6px;padding-top:4px}"
    ".tiles{grid-template-columns:repeat(4,1fr);gap:8px;padding:8px 0 0}.tile{padding:6px 10px}"
    ".tile .score{font-size:15pt}"
    "section{padding:8px 0 0}h2{font-size:12pt;margin:0 0 2px}h3{font-size:10pt;margin:8px 0 4px}"
    ".lead{margin:0 0 4px}"
    ".prio{grid-template-columns:repeat(3,1fr);gap:8px;margin-top:4px}"
    ".prio article{padding:8px 10px}.prio .rank{font-size:14pt;top:6px}"
    ".scroll{overflow:visible;margin:4px 0 8px}.scroll>table.data{min-width:0}"
    ".scroll>.chart.bars{min-width:0;width:62%}"
    ".fold{font-size:6.5pt;line-height:1.25;margin:4px 0}.legend{font-size:7pt;margin:4px 0}"
    ".cards{display:block;columns:4;column-gap:6px}"
    ".card{margin:0 0 6px;padding:5px 7px 4px;border-radius:6px}.card .top{flex-wrap:nowrap}"
    ".card h4{font-size:8pt;margin:1px 0 2px}.card .num{font-size:11pt}"
    ".card .facts{grid-template-columns:1fr;font-size:6.5pt;line-height:1.25;padding-top:2px}"
    /* the direction shows in the target's ≥, ≤ or sign; on paper its line is left out */
    ".card .facts .dir{display:none}"
    ".card .note{font-size:6.5pt;line-height:1.25;margin:2px 0 0}.card .id{font-size:6.5pt}"
    ".pg{font-size:6.5pt;padding:0 6px}.chart{margin:2px 0}"
    "h2,h3{break-after:avoid}.card,.prio article,.tile,svg,.fold li{break-inside:avoid}"
    "table.data{font-size:7.5pt}table.data thead{display:table-header-group}"
    "table.data tr{break-inside:avoid}table.data td:has(>ul.reasons){width:60%}"
    /* on paper the header carries the run stamp; the method text is the screen page's */
    ".appendix,#method{display:none}footer{font-size:6.5pt;padding:4px 6px}"
    "a{color:inherit;text-decoration:none}}\n";

/* Opens the page; script_hash (base64 SHA-256 of the one inline script, may be NULL: no script)
 * goes into the page's policy, and extra_css (may be NULL) after the common style. */
static void page_open_with(acv_buf *b, const char *title, const char *script_hash,
                           const char *extra_css)
{
    acv_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    /* no remote anything, and no script but the page's own by its hash: the
                     * report works offline and in a mail */
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'unsafe-inline'; img-src data:");
    if (script_hash)
        acv_buf_printf(b, "; script-src 'sha256-%s'", script_hash);
    acv_buf_puts(b, "\">\n<meta name=\"generator\" content=\"acvtrack\">\n<title>");
    esc(b, title);
    acv_buf_puts(b, "</title>\n<style>\n");
    acv_buf_puts(b, CSS);
    if (extra_css)
        acv_buf_puts(b, extra_css);
    acv_buf_puts(b, "</style>\n</head>\n<body>\n");
}

static void page_open(acv_buf *b, const char *title)
{
    page_open_with(b, title, NULL, NULL);
}

/* Ends the page of a report or a comparison (what); ACV_ERR_NOMEM when the buffer could not
 * grow. */
static acv_status page_close(acv_buf *b, const char *what, acv_error *err)
{
    acv_buf_puts(b, "</body>\n</html>\n");
    if (b->failed)
        return acv_error_set(err, ACV_ERR_NOMEM, "out of memory writing the HTML %s", what);
    return ACV_OK;
}

static void stamp(acv_buf *b, const acv_report_model *m)
{
    acv_buf_printf(b, "Run %lld · scored ", (long long)m->run_id);
    esc(b, m->created_at);
    acv_buf_puts(b, " · acvtrack ");
    esc(b, m->engine_version);
    acv_buf_puts(b, " · framework <code>");
    acv_buf_printf(b, "%.12s", m->framework_hash ? m->framework_hash : "");
    acv_buf_puts(b, "</code> · data <code>");
    acv_buf_printf(b, "%.12s", m->data_hash ? m->data_hash : "");
    acv_buf_puts(b, "</code> · methods <code>");
    acv_buf_printf(b, "%.12s", m->methods_hash ? m->methods_hash : "");
    acv_buf_puts(b, "</code>");
}

/* ---- charts ------------------------------------------------------------------------------ */

/* Horizontal bars on a 0-100 scale: one bar per group; with several series either one bar per
 * series under a group heading (comparisons), or, when compact, a thick bar and a thin second
 * bar side by side (score and alignment). Every bar is labelled with its value, and a second
 * series also with its name, so colour is never the only way to tell them apart. */
typedef struct {
    const char *id, *title, *alt_intro;
    size_t n_groups, n_series;
    const char *const *group_labels;
    const char *const *series_names;   /* n_series; may be NULL when n_series == 1 */
    const char *const *series_classes; /* n_series CSS fill classes; NULL: s0, s1, ... */
    const double *values;              /* n_groups × n_series */
    const unsigned char *has;          /* n_groups × n_series */
    int compact;                       /* two series drawn as one row per group */
} bar_chart;

static void bar_chart_svg(acv_buf *b, const bar_chart *c)
{
    int stacked = c->n_series > 1 && !c->compact;
    const double W = 760, LW = stacked ? 250 : 320, BW = 340, TOP = 26;
    const double ROW = stacked ? 20 : c->compact ? 34 : 26, HEAD = stacked ? 24 : 0;
    const double GAP = stacked ? 8 : 2;
    double per_group = HEAD + ROW * (double)(c->compact ? 1 : c->n_series) + GAP;
    double h = TOP + (double)c->n_groups * per_group + 4;
    /* below 560 px the labels would shrink past reading: the chart scrolls instead */
    acv_buf_puts(b, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"");
    esc(b, c->title);
    acv_buf_puts(b, "\">");
    acv_buf_printf(b,
                   "<svg class=\"chart bars\" role=\"img\" viewBox=\"0 0 %.0f %.0f\" "
                   "aria-labelledby=\"%s-t %s-d\">",
                   W, h, c->id, c->id);
    acv_buf_printf(b, "<title id=\"%s-t\">", c->id);
    esc(b, c->title);
    acv_buf_printf(b, "</title><desc id=\"%s-d\">", c->id);
    esc(b, c->alt_intro);
    for (size_t g = 0; g < c->n_groups; g++) {
        acv_buf_puts(b, g ? "; " : " ");
        esc(b, c->group_labels[g]);
        acv_buf_puts(b, ":");
        for (size_t s = 0; s < c->n_series; s++) {
            size_t k = g * c->n_series + s;
            acv_buf_puts(b, s ? ", " : " ");
            if (c->n_series > 1 && c->series_names) {
                esc(b, c->series_names[s]);
                acv_buf_puts(b, " ");
            }
            if (c->has[k])
                acv_buf_printf(b, "%.1f", c->values[k]);
            else
                acv_buf_puts(b, "no data");
        }
    }
    acv_buf_puts(b, ".</desc>");
    /* the 0-100 scale with gridlines every 25 */
    acv_buf_puts(b, "<g class=\"axis\" aria-hidden=\"true\">");
    for (int t = 0; t <= 100; t += 25) {
        double x = LW + BW * t / 100.0;
        acv_buf_printf(b,
                       "<line class=\"grid\" x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\"/>"
                       "<text x=\"%.1f\" y=\"14\" text-anchor=\"middle\">%d</text>",
                       x, TOP - 6, x, h - 4, x, t);
    }
    acv_buf_puts(b, "</g>");
    double y = TOP;
    for (size_t g = 0; g < c->n_groups; g++) {
        if (stacked) {
            acv_buf_printf(b, "<text class=\"grp\" x=\"0\" y=\"%.1f\">", y + 16);
            esc(b, c->group_labels[g]);
            acv_buf_puts(b, "</text>");
            y += HEAD;
        } else {
            acv_buf_printf(b,
                           "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" "
                           "dominant-baseline=\"middle\" font-size=\"13\">",
                           LW - 10, y + ROW / 2);
            esc(b, c->group_labels[g]);
            acv_buf_puts(b, "</text>");
        }
        for (size_t s = 0; s < c->n_series; s++) {
            size_t k = g * c->n_series + s;
            /* compact: a 14-high bar and an 8-high one below it; otherwise one row each */
            double bar_y = c->compact ? y + (s ? 21 : 4) : y + 3;
            double bar_h = c->compact ? (s ? 8 : 14) : ROW - 6;
            double mid = bar_y + bar_h / 2;
            if (stacked) {
                acv_buf_printf(b,
                               "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" "
                               "dominant-baseline=\"middle\" font-size=\"12\">",
                               LW - 10, mid);
                esc(b, c->series_names ? c->series_names[s] : "");
                acv_buf_puts(b, "</text>");
            }
            const char *suffix = c->compact && s && c->series_names ? c->series_names[s] : NULL;
            if (c->has[k]) {
                double v = c->values[k] < 0 ? 0 : c->values[k] > 100 ? 100 : c->values[k];
                char cls[16];
                snprintf(cls, sizeof cls, "s%zu", s % 7);
                acv_buf_printf(b,
                               "<rect class=\"%s\" x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" "
                               "height=\"%.1f\" rx=\"3\"/>",
                               c->series_classes ? c->series_classes[s] : cls, LW, bar_y,
                               BW * v / 100.0 < 1 ? 1 : BW * v / 100.0, bar_h);
                acv_buf_printf(b,
                               "<text class=\"val\" x=\"%.1f\" y=\"%.1f\" "
                               "dominant-baseline=\"middle\"%s>%.1f",
                               LW + BW * v / 100.0 + 6, mid,
                               suffix ? " font-size=\"11\" font-weight=\"400\"" : "", c->values[k]);
            } else {
                /* a group score is missing when too few of its parts have data */
                acv_buf_printf(b,
                               "<text class=\"nd\" x=\"%.0f\" y=\"%.1f\" "
                               "dominant-baseline=\"middle\">not enough data",
                               LW + 4, mid);
            }
            if (suffix) {
                acv_buf_puts(b, " ");
                esc(b, suffix);
            }
            acv_buf_puts(b, "</text>");
            if (!c->compact)
                y += ROW;
        }
        if (c->compact)
            y += ROW;
        y += GAP;
    }
    acv_buf_puts(b, "</svg></div>\n");
}

/* The overall score as a ring, for the header. */
static void gauge_svg(acv_buf *b, const char *id, int has, double score, const char *what)
{
    const double R = 52, C = 2 * M_PI * R;
    double v = has ? (score < 0 ? 0 : score > 100 ? 100 : score) : 0;
    acv_buf_printf(b,
                   "<svg role=\"img\" viewBox=\"0 0 132 132\" aria-labelledby=\"%s-t %s-d\">"
                   "<title id=\"%s-t\">",
                   id, id, id);
    esc(b, what);
    acv_buf_printf(b, "</title><desc id=\"%s-d\">", id);
    if (has)
        acv_buf_printf(b, "%.1f out of 100", score);
    else
        acv_buf_puts(b, "no score");
    acv_buf_printf(b,
                   "</desc><circle cx=\"66\" cy=\"66\" r=\"%.0f\" fill=\"none\" "
                   "stroke=\"rgba(255,255,255,.18)\" stroke-width=\"14\"/>",
                   R);
    if (has)
        acv_buf_printf(b,
                       "<circle cx=\"66\" cy=\"66\" r=\"%.0f\" fill=\"none\" stroke=\"#56B4E9\" "
                       "stroke-width=\"14\" stroke-linecap=\"round\" "
                       "stroke-dasharray=\"%.2f %.2f\" transform=\"rotate(-90 66 66)\"/>",
                       R, C * v / 100.0, C);
    if (has)
        acv_buf_printf(b,
                       "<text x=\"66\" y=\"70\" text-anchor=\"middle\" font-size=\"30\" "
                       "font-weight=\"700\" fill=\"#fff\">%.1f</text><text x=\"66\" y=\"90\" "
                       "text-anchor=\"middle\" font-size=\"11\" fill=\"#b9d3ea\">out of "
                       "100</text>",
                       score);
    else
        acv_buf_puts(b, "<text x=\"66\" y=\"71\" text-anchor=\"middle\" font-size=\"15\" "
                        "fill=\"#fff\">no score</text>");
    acv_buf_puts(b, "</svg>");
}

/* The value a 2030 target stands for, as docs/framework-format.md defines its kinds: `abs` is the
 * value; the relative kinds start from the baseline, a year or the mean of the observations in a
 * range of years ("2015-2019"): `rel_pct` baseline × (1 + value/100), `rel_pp` and `rel_abs`
 * baseline + value, `halve_gap` baseline + (best − baseline)/2. The same rule as
 * progress.resolve_target in scripts/methods/progress.lua, which the scoring uses; here it only
 * places the dashed line. 0 when there is nothing to draw (no target, no observation in the
 * baseline years). */
static int target_value(const acv_indicator *ind, const acv_target *t, const acv_series *s,
                        double *out)
{
    if (!t || !t->kind)
        return 0;
    if (strcmp(t->kind, "abs") == 0) {
        *out = t->value;
        return t->has_value;
    }
    int halve = strcmp(t->kind, "halve_gap") == 0;
    if (!halve && strcmp(t->kind, "rel_pct") != 0 && strcmp(t->kind, "rel_pp") != 0 &&
        strcmp(t->kind, "rel_abs") != 0)
        return 0;
    if ((!halve && !t->has_value) || (halve && !ind->has_bounds) || !t->baseline)
        return 0;
    int first = 0, last = 0;
    char dash[8];
    int n = sscanf(t->baseline, " %4d %7[-–] %4d", &first, dash, &last);
    if (n == 1)
        last = first;
    else if (n != 3)
        return 0;
    double sum = 0;
    int count = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->points[i].year >= first && s->points[i].year <= last) {
            sum += s->points[i].value;
            count++;
        }
    if (!count)
        return 0;
    double base = sum / count;
    *out = halve                             ? base + (ind->best - base) / 2
           : strcmp(t->kind, "rel_pct") == 0 ? base * (1 + t->value / 100)
                                             : base + t->value;
    return 1;
}

/* A step of 1, 2, 2.5 or 5 times a power of ten giving at most max_ticks ticks over lo..hi. */
static double nice_step(double lo, double hi, int max_ticks)
{
    double raw = (hi - lo) / (max_ticks - 1);
    double p = pow(10, floor(log10(raw)));
    static const double M[] = {1, 2, 2.5, 5, 10};
    for (size_t k = 0; k < sizeof M / sizeof *M; k++) {
        double step = M[k] * p;
        if (floor(lo / step + 1e-9) * step + step * (max_ticks - 1) >= hi - 1e-9 * step)
            return step;
    }
    return 10 * p;
}

/* A text label's box in chart units, estimated: Noto Sans averages under 0.6 em a character, and
 * a box of the font's ascent and descent around the baseline y. */
typedef struct {
    double x0, y0, x1, y1;
} box;

static box label_box(double x, double y, const char *anchor, const char *text, double size)
{
    double w = 0.6 * size * (double)acv_text_width(text, strlen(text));
    double x0 = strcmp(anchor, "end") == 0 ? x - w : strcmp(anchor, "middle") == 0 ? x - w / 2 : x;
    return (box){x0 - 2, y - size - 1, x0 + w + 2, y + 0.3 * size};
}

static int boxes_meet(box a, box b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* Whether the segment from (x1,y1) to (x2,y2) passes through the box (Liang–Barsky clipping). */
static int segment_meets(box r, double x1, double y1, double x2, double y2)
{
    double t0 = 0, t1 = 1, dx = x2 - x1, dy = y2 - y1;
    double p[4] = {-dx, dx, -dy, dy}, q[4] = {x1 - r.x0, r.x1 - x1, y1 - r.y0, r.y1 - y1};
    for (int k = 0; k < 4; k++) {
        if (p[k] == 0) {
            if (q[k] < 0)
                return 0;
            continue;
        }
        double t = q[k] / p[k];
        if (p[k] < 0 && t > t0)
            t0 = t;
        else if (p[k] > 0 && t < t1)
            t1 = t;
        if (t0 > t1)
            return 0;
    }
    return 1;
}

/* What a line's label must keep clear of: the data (segments between the points, and the points'
 * circles), the other horizontal line, and labels already placed. */
typedef struct {
    const double *px, *py; /* the points in chart units */
    size_t n;
    double other_y; /* the other dashed or dotted line; NAN: none */
    double left, right, top, bottom;
    box placed[2];
    size_t n_placed;
} plot_space;

static int label_fits(const plot_space *ps, box b)
{
    if (b.x0 < ps->left - 2 || b.x1 > ps->right + 2 || b.y0 < 1 || b.y1 > ps->bottom + 3)
        return 0;
    for (size_t i = 0; i < ps->n; i++) {
        box dot = {ps->px[i] - 4.5, ps->py[i] - 4.5, ps->px[i] + 4.5, ps->py[i] + 4.5};
        if (boxes_meet(b, dot))
            return 0;
        if (i && segment_meets(b, ps->px[i - 1], ps->py[i - 1], ps->px[i], ps->py[i]))
            return 0;
    }
    if (!isnan(ps->other_y) && segment_meets(b, ps->left, ps->other_y, ps->right, ps->other_y))
        return 0;
    for (size_t i = 0; i < ps->n_placed; i++)
        if (boxes_meet(b, ps->placed[i]))
            return 0;
    return 1;
}

/* Writes the label of the horizontal line at y where it is clear of everything in ps: above or
 * below the line, at its right end, its left end or its middle. No label when there is no clear
 * place: the card and the chart's description still give the value, and a label over the data
 * would hide what the chart is for. */
static void line_label(acv_buf *b, plot_space *ps, double y, const char *cls, const char *text)
{
    const double SIZE = 12;
    double xs[3] = {ps->right - 2, ps->left + 4, (ps->left + ps->right) / 2};
    static const char *const anchors[3] = {"end", "start", "middle"};
    double ys[2] = {y - 4, y + SIZE + 2};
    for (int k = 0; k < 6; k++) {
        double x = xs[k / 2], ty = ys[k % 2];
        box bx = label_box(x, ty, anchors[k / 2], text, SIZE);
        if (!label_fits(ps, bx))
            continue;
        acv_buf_printf(b, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", cls, x,
                       ty, anchors[k / 2]);
        esc(b, text);
        acv_buf_puts(b, "</text>");
        if (ps->n_placed < sizeof ps->placed / sizeof *ps->placed)
            ps->placed[ps->n_placed++] = bx;
        return;
    }
}

/* Where v goes between the plot's top and bottom: always a finite coordinate (an SVG attribute
 * of "nan" or "inf" breaks the chart), computed on halves so no difference overflows. */
static double plot_y(double v, double lo, double hi, double top, double bottom)
{
    double f = (v * 0.5 - lo * 0.5) / (hi * 0.5 - lo * 0.5);
    if (!isfinite(f))
        f = 0.5;
    return bottom - (bottom - top) * fmin(fmax(f, 0), 1);
}

/* An indicator's observations over time, with the baseline (its first value) and the 2030 target,
 * an absolute value or a relative one resolved from its baseline years, as a line reaching to
 * 2030. The value axis has round ticks (1, 2, 2.5 or 5 times a power of ten) at least 20 units
 * apart, so its labels never touch; the lines' labels go where they cross no data (line_label). */
static void series_svg(acv_buf *b, const char *id, const acv_indicator *ind, const acv_series *s)
{
    const double W = 320, H = 132, R = W - 8, T = 12, B = 104, FONT = 12;
    const acv_target *t = acv_indicator_target(ind, 2030);
    double target = 0;
    int has_target = target_value(ind, t, s, &target) && isfinite(target);
    int y0 = s->points[0].year, y1 = s->points[s->n - 1].year;
    int xmax = has_target && t->year > y1 ? t->year : y1;
    if (xmax == y0)
        xmax = y0 + 1;
    double lo = s->points[0].value, hi = lo;
    for (size_t i = 0; i < s->n; i++) {
        lo = fmin(lo, s->points[i].value);
        hi = fmax(hi, s->points[i].value);
    }
    if (has_target) {
        lo = fmin(lo, target);
        hi = fmax(hi, target);
    }
    if (hi - lo < 1e-9 * fmax(1, fabs(hi))) {
        double pad = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;
        /* never invent negative values for a quantity that cannot be negative */
        lo = lo >= 0 && lo - pad < 0 ? 0 : fmax(lo - pad, -DBL_MAX);
        hi = fmin(hi + pad, DBL_MAX);
    }
    /* at most 4 ticks over the 92 units of height: 23 apart or more */
    double step = nice_step(lo, hi, 4);
    lo = floor(lo / step + 1e-9) * step;
    hi = ceil(hi / step - 1e-9) * step;
    if (hi <= lo)
        hi = lo + step;
    char ticks[8][32];
    size_t n_ticks = 0;
    double label_w = 0;
    for (double v = lo; v <= hi + step * 1e-6 && n_ticks < 8; v += step) {
        acv_format_number(ticks[n_ticks], sizeof ticks[n_ticks], fabs(v) < step * 1e-6 ? 0 : v);
        label_w = fmax(label_w,
                       0.6 * FONT * (double)acv_text_width(ticks[n_ticks], strlen(ticks[n_ticks])));
        n_ticks++;
    }
    const double L = fmax(30, label_w + 10);
#define SX(year) (L + (R - L) * ((double)(year)-y0) / (double)(xmax - y0))
#define SY(v) plot_y(v, lo, hi, T, B)
    acv_buf_printf(b,
                   "<svg class=\"chart spark\" role=\"img\" viewBox=\"0 0 %.0f %.0f\" "
                   "aria-labelledby=\"%s-t %s-d\">"
                   "<title id=\"%s-t\">",
                   W, H, id, id, id);
    esc(b, ind->short_name);
    acv_buf_puts(b, " over time</title>");
    acv_buf_printf(b, "<desc id=\"%s-d\">", id);
    acv_buf_printf(b, "%zu value%s from %d to %d", s->n, s->n == 1 ? "" : "s", y0, y1);
    if (ind->unit && *ind->unit) {
        acv_buf_puts(b, " (");
        esc(b, ind->unit);
        acv_buf_puts(b, ")");
    }
    acv_buf_puts(b, ":");
    for (size_t i = 0; i < s->n; i++) {
        acv_buf_puts(b, i ? ", " : " ");
        esc(b, s->points[i].period);
        acv_buf_puts(b, " ");
        number(b, s->points[i].value);
    }
    acv_buf_puts(b, ". Baseline (first value) ");
    number(b, s->points[0].value);
    acv_buf_puts(b, ".");
    if (has_target) {
        char desc[160];
        acv_target_describe(ind, t, desc, sizeof desc);
        acv_buf_puts(b, " 2030 target ");
        esc(b, desc);
        if (strcmp(t->kind, "abs") != 0) {
            acv_buf_puts(b, ", that is ");
            number(b, target);
        }
        acv_buf_puts(b, ".");
    }
    acv_buf_puts(b, "</desc>");
    /* axes: round values on the left with their gridlines, years along the bottom */
    acv_buf_puts(b, "<g class=\"axis\" aria-hidden=\"true\">");
    for (size_t k = 0; k < n_ticks; k++) {
        double y = SY(lo + step * (double)k);
        acv_buf_printf(b,
                       "<line class=\"grid\" x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\"/>"
                       "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                       L, y, R, y, L - 6, y + 4, ticks[k]);
    }
    /* the first year, the last observed one and the target year, when there is room between */
    acv_buf_printf(b, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"start\">%d</text>", SX(y0), B + 18,
                   y0);
    if (xmax != y1)
        acv_buf_printf(b, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"end\">%d</text>", SX(xmax),
                       B + 18, xmax);
    double room_left = SX(y1) - SX(y0), room_right = SX(xmax) - SX(y1);
    if (y1 != y0 && room_left >= 2 * 0.6 * FONT * 4 + 6 &&
        (xmax == y1 || room_right >= 2 * 0.6 * FONT * 4 + 6))
        acv_buf_printf(b, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"%s\">%d</text>", SX(y1),
                       B + 18, y1 == xmax ? "end" : "middle", y1);
    acv_buf_puts(b, "</g>");
    /* baseline: the first observation, dotted across the chart */
    double by = SY(s->points[0].value), ty = has_target ? SY(target) : NAN;
    acv_buf_printf(b, "<line class=\"base\" x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\"/>", L,
                   by, R, by);
    if (has_target)
        acv_buf_printf(b,
                       "<line class=\"target\" x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" "
                       "y2=\"%.1f\"/>",
                       L, ty, R, ty);
    double *px = malloc(s->n * sizeof *px), *py = malloc(s->n * sizeof *py);
    if (!px || !py) {
        free(px);
        free(py);
        b->failed = 1;
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        px[i] = SX(s->points[i].year);
        py[i] = SY(s->points[i].value);
    }
    plot_space ps = {
        .px = px, .py = py, .n = s->n, .other_y = by, .left = L, .right = R, .top = T, .bottom = B};
    if (has_target) {
        acv_buf label = {0};
        acv_buf_puts(&label, "2030 target ");
        number(&label, target);
        line_label(b, &ps, ty, "tlabel", label.data ? label.data : "2030 target");
        acv_buf_free(&label);
    }
    ps.other_y = ty;
    line_label(b, &ps, by, "blabel", "baseline");
    if (s->n > 1) {
        acv_buf_puts(b, "<polyline class=\"line\" points=\"");
        for (size_t i = 0; i < s->n; i++)
            acv_buf_printf(b, "%s%.1f,%.1f", i ? " " : "", px[i], py[i]);
        acv_buf_puts(b, "\"/>");
    }
    for (size_t i = 0; i < s->n; i++) {
        acv_buf_printf(b, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"><title>",
                       i + 1 == s->n ? "last" : "pt", px[i], py[i], i + 1 == s->n ? "4" : "2.6");
        esc(b, s->points[i].period);
        acv_buf_puts(b, ": ");
        value_unit(b, s->points[i].value, ind->unit);
        acv_buf_puts(b, "</title></circle>");
    }
    free(px);
    free(py);
#undef SX
#undef SY
    acv_buf_puts(b, "</svg>\n");
}

/* ---- tables ------------------------------------------------------------------------------ */

/* A table scrolls sideways inside its own box when the screen is narrower than its columns need,
 * so the page itself never does and no column is cut off (the browser test measures this at
 * 390 px). The box is focusable so a keyboard can scroll it too; label names it for a screen
 * reader. */
static void table_open(acv_buf *b, const char *label)
{
    acv_buf_puts(b, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"");
    esc(b, label);
    acv_buf_puts(b, "\"><table class=\"data\">");
}

static void table_close(acv_buf *b)
{
    acv_buf_puts(b, "</table></div>\n");
}

/* ---- the report of one area -------------------------------------------------------------- */

static const char *area_name_of(const acv_framework *fw, const char *code)
{
    long a = code ? acv_framework_find_action_area(fw, code) : -1;
    return a >= 0 ? fw->action_areas[a].name : code;
}

/* The area's population and its year, or no data; as the header and the comparison list it. */
static void population_in_full(acv_buf *b, const acv_report_model *m)
{
    if (!m->has_population) {
        no_data(b);
        return;
    }
    whole_number(b, m->population);
    acv_buf_printf(b, " (%d)", m->population_year);
}

/* The city's adaptation and how many changes it made, or none_text without one. */
static void adaptation(acv_buf *b, const acv_report_model *m, const char *none_text)
{
    if (!m->overlay) {
        acv_buf_puts(b, none_text);
        return;
    }
    esc(b, m->overlay);
    acv_buf_printf(b, " (%zu change%s)", m->n_changes, m->n_changes == 1 ? "" : "s");
}

/* "<br>provisional 59.3 (provisional: 18 of 55 core indicators), not an official score" for a
 * group the availability rules withhold and that has a provisional score; nothing otherwise. */
static void provisional_text(acv_buf *b, const acv_result *r)
{
    if (!r->code || r->has_score || !r->has_provisional)
        return;
    char coverage[96];
    acv_format_coverage(coverage, sizeof coverage, r->n_core_scored, r->n_core_total);
    /* a span that may wrap: in a number cell (no wrapping) it would widen the whole column */
    acv_buf_printf(b, "<br><span class=\"prov\"><em>provisional %.1f</em> (", r->provisional);
    esc(b, coverage);
    acv_buf_puts(b, "), not an official score</span>");
}

static void header(acv_buf *b, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    size_t with_value = 0, core = 0, core_with_value = 0;
    for (size_t i = 0; i < fw->n_indicators; i++) {
        int has = m->indicators[i].code && m->indicators[i].has_value;
        with_value += has;
        if (fw->indicators[i].core && !fw->indicators[i].local) {
            core++;
            core_with_value += has;
        }
    }
    acv_buf_puts(b, "<header class=\"mast\"><div class=\"wrap\">\n<p class=\"kicker\">ASEAN "
                    "Community Vision 2045 · City localisation report</p>\n<h1>");
    esc(b, m->name);
    acv_buf_puts(b, "</h1>\n<p class=\"sub\">");
    esc(b, m->level);
    if (m->country) {
        acv_buf_puts(b, " in ");
        esc(b, m->country);
    }
    if (m->has_population) {
        char pop[64];
        acv_format_population(pop, sizeof pop, m->population);
        acv_buf_printf(b, " · population %s (%d)", pop, m->population_year);
    }
    acv_buf_printf(b, " · results for %d", m->year);
    if (m->year_local[0])
        acv_buf_printf(b, " (%s)", m->year_local);
    acv_buf_puts(b, "</p>\n<div class=\"mast-grid\">\n<div class=\"gauge\">");
    gauge_svg(b, "overall", m->overall.code && m->overall.has_score, m->overall.score,
              "Overall ACV 2045 score");
    acv_buf_puts(b, "<div><strong>Overall score</strong><span class=\"big\">");
    if (m->overall.code && m->overall.has_score)
        acv_buf_printf(b, "from %d of %d pillars", m->overall.n_scored, m->overall.n_total);
    else {
        acv_buf_puts(b, "not enough data");
        if (m->overall.code && m->overall.note) {
            acv_buf_puts(b, ": ");
            esc(b, m->overall.note);
        }
        provisional_text(b, &m->overall);
    }
    if (m->has_alignment && m->alignment_overall.code && m->alignment_overall.has_score)
        acv_buf_printf(b, "<br>self-assessment alignment %.1f", m->alignment_overall.score);
    acv_buf_puts(b, "</span></div></div>\n<dl class=\"profile\">");
    acv_buf_puts(b, "<div><dt>Area code</dt><dd><code>");
    esc(b, m->code);
    acv_buf_puts(b, "</code></dd></div><div><dt>Country</dt><dd>");
    text_or_no_data(b, m->country);
    acv_buf_puts(b, "</dd></div><div><dt>Population</dt><dd>");
    population_in_full(b, m);
    acv_buf_puts(b, "</dd></div><div><dt>Framework</dt><dd>");
    esc(b, m->framework_id);
    acv_buf_puts(b, " ");
    esc(b, m->framework_version);
    acv_buf_puts(b, "</dd></div><div><dt>Data completeness</dt><dd>");
    acv_buf_printf(b, "%zu of %zu core indicators have data (%zu of %zu in all)", core_with_value,
                   core, with_value, fw->n_indicators);
    acv_buf_puts(b, "</dd></div><div><dt>City adaptation</dt><dd>");
    adaptation(b, m, "none: the ASEAN framework as published");
    acv_buf_puts(b, "</dd></div></dl>\n</div>\n<p class=\"stamp\">Reproducibility: ");
    stamp(b, m);
    acv_buf_puts(b, "</p>\n</div></header>\n");
}

static void pillar_tiles(acv_buf *b, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    acv_buf_puts(b, "<div class=\"wrap\"><div class=\"tiles\" aria-label=\"Pillar scores\">");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        const acv_result *r = &m->pillars[p];
        acv_buf_puts(b, "<div class=\"tile\"><div class=\"name\">");
        esc(b, fw->pillars[p].name);
        acv_buf_puts(b, "</div><div class=\"score\">");
        if (r->code && r->has_score)
            acv_buf_printf(b, "%.1f<small> / 100</small>", r->score);
        else
            acv_buf_puts(b, "<span class=\"nodata\">not enough data</span>");
        acv_buf_printf(b, "</div><div class=\"meta\">%d of %d action areas scored",
                       r->code ? r->n_scored : 0, r->code ? r->n_total : 0);
        provisional_text(b, r);
        if (m->has_alignment && m->alignment_pillars[p].code && m->alignment_pillars[p].has_score)
            acv_buf_printf(b, " · alignment %.1f", m->alignment_pillars[p].score);
        acv_buf_puts(b, "</div></div>");
    }
    acv_buf_puts(b, "</div></div>\n");
}

/* Writes each of a priority's reasons (format.h) between open and close. */
static void each_reason(acv_buf *b, const char *note, const char *open, const char *close)
{
    char one[ACV_REASONS_MAX];
    for (const char *s = note; (s = acv_format_next_reason(s, one, sizeof one));) {
        acv_buf_puts(b, open);
        esc(b, one);
        acv_buf_puts(b, close);
    }
}

#define TOP_PRIORITIES 3

static void priorities(acv_buf *b, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    acv_buf_puts(b, "<section id=\"priorities\"><div class=\"wrap\">\n<h2>Where to act "
                    "first</h2>\n");
    size_t shown = 0;
    for (size_t i = 0; i < m->n_priorities; i++)
        shown += m->priorities[i].code != NULL;
    if (!shown) {
        acv_buf_puts(b, "<p class=\"lead\">This scoring run ranks no priority action areas. "
                        "The lowest scores below show where the city stands furthest from "
                        "the Vision.</p>\n</div></section>\n");
        return;
    }
    acv_buf_puts(b, "<p class=\"lead\">Action areas ranked by the priority method of this run "
                    "(0-100, higher means act sooner), with the reasons it gives. The first "
                    "three are the proposed focus.</p>\n<div class=\"prio\">\n");
    size_t rank = 0;
    for (size_t i = 0; i < m->n_priorities && rank < TOP_PRIORITIES; i++) {
        const acv_result *p = &m->priorities[i];
        if (!p->code)
            continue;
        rank++;
        long a = acv_framework_find_action_area(fw, p->code);
        acv_buf_printf(b, "<article><div class=\"rank\" aria-label=\"rank %zu\">%zu</div><h3>",
                       i + 1, i + 1);
        esc(b, area_name_of(fw, p->code));
        acv_buf_puts(b, "</h3><div class=\"pill\"><code>");
        esc(b, p->code);
        acv_buf_puts(b, "</code>");
        if (a >= 0) {
            acv_buf_puts(b, " · ");
            esc(b, fw->pillars[fw->action_areas[a].pillar].name);
            const acv_result *ar = &m->action_areas[a];
            if (ar->code && ar->has_score)
                acv_buf_printf(b, " · score %.1f", ar->score);
        }
        double v = p->value < 0 ? 0 : p->value > 100 ? 100 : p->value;
        acv_buf_printf(b,
                       "</div><div class=\"meter\" aria-hidden=\"true\"><span "
                       "style=\"width:%.1f%%\"></span></div><div class=\"pill\">priority "
                       "<b>%.1f</b> of 100</div><ul>",
                       v, p->value);
        each_reason(b, p->note, "<li>", "</li>");
        acv_buf_puts(b, "</ul></article>\n");
    }
    acv_buf_puts(b, "</div>\n");
    if (shown > rank) {
        table_open(b, "The other action areas");
        acv_buf_puts(b, "<caption>The other action areas, in priority "
                        "order</caption><thead><tr><th scope=\"col\" class=\"n\">Rank</th><th "
                        "scope=\"col\">Action area</th><th scope=\"col\" "
                        "class=\"n\">Priority</th><th scope=\"col\" class=\"n\">Score</th><th "
                        "scope=\"col\">Reasons</th></tr></thead><tbody>");
        size_t seen = 0;
        for (size_t i = 0; i < m->n_priorities; i++) {
            const acv_result *p = &m->priorities[i];
            if (!p->code || ++seen <= rank)
                continue;
            long a = acv_framework_find_action_area(fw, p->code);
            acv_buf_printf(b, "<tr><td class=\"n\">%zu</td><th scope=\"row\">", i + 1);
            esc(b, area_name_of(fw, p->code));
            acv_buf_printf(b, "</th><td class=\"n\">%.1f</td><td class=\"n\">", p->value);
            if (a >= 0 && m->action_areas[a].code && m->action_areas[a].has_score)
                acv_buf_printf(b, "%.1f", m->action_areas[a].score);
            else {
                acv_buf_puts(b, "<span class=\"nodata\">not enough data</span>");
                if (a >= 0)
                    provisional_text(b, &m->action_areas[a]);
            }
            acv_buf_puts(b, "</td><td>");
            acv_buf_puts(b, "<ul class=\"reasons\">");
            each_reason(b, p->note, "<li>", "</li>");
            acv_buf_puts(b, "</ul>");
            acv_buf_puts(b, "</td></tr>");
        }
        acv_buf_puts(b, "</tbody>");
        table_close(b);
    }
    acv_buf_puts(b, "</div></section>\n");
}

/* The action areas without any data (not ranked) and the core indicators to collect first to
 * unlock the official overall score, cheapest first; nothing when there are none. */
static void data_to_collect(acv_buf *b, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    if (!m->n_no_data && !m->n_collect_first)
        return;
    acv_buf_puts(b, "<section id=\"collect\"><div class=\"wrap\">\n");
    if (m->n_no_data) {
        acv_buf_puts(b, "<h2>No data yet</h2>\n<p class=\"lead\">None of the indicators of "
                        "these action areas has data, so they are not ranked: a self-assessment "
                        "alone does not make an area a priority.</p>\n<ul class=\"reasons\">");
        for (size_t i = 0; i < m->n_no_data; i++) {
            acv_buf_puts(b, "<li><code>");
            esc(b, m->no_data[i].code);
            acv_buf_puts(b, "</code> ");
            esc(b, area_name_of(fw, m->no_data[i].code));
            if (m->no_data[i].note) {
                acv_buf_puts(b, ": ");
                esc(b, m->no_data[i].note);
            }
            acv_buf_puts(b, "</li>");
        }
        acv_buf_puts(b, "</ul>\n");
    }
    if (m->n_collect_first) {
        acv_buf_puts(b, "<h2>Collect these first</h2>\n<p class=\"lead\">The official overall "
                        "score needs data for more core indicators. These would give it, "
                        "cheapest to collect first (by the kind of their data source).</p>\n");
        table_open(b, "Collect these first");
        acv_buf_puts(b, "<thead><tr><th scope=\"col\" class=\"n\">#</th>"
                        "<th scope=\"col\">Indicator</th><th scope=\"col\">Kind of source</th>"
                        "<th scope=\"col\">Data source</th></tr></thead><tbody>");
        for (size_t k = 0; k < m->n_collect_first; k++) {
            const acv_indicator *ind = &fw->indicators[m->collect_first[k]];
            acv_buf_printf(b, "<tr><td class=\"n\">%zu</td><th scope=\"row\"><code>", k + 1);
            esc(b, ind->id);
            acv_buf_puts(b, "</code> ");
            esc(b, ind->short_name);
            acv_buf_puts(b, "</th><td>");
            text_or_no_data(b, m->indicators[m->collect_first[k]].collect_source);
            acv_buf_puts(b, "</td><td>");
            text_or_no_data(b, ind->data_source);
            acv_buf_puts(b, "</td></tr>");
        }
        acv_buf_puts(b, "</tbody>");
        table_close(b);
    }
    acv_buf_puts(b, "</div></section>\n");
}

static void score_charts(acv_buf *b, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    size_t k = m->has_alignment ? 2 : 1;
    size_t n = fw->n_pillars > fw->n_action_areas ? fw->n_pillars : fw->n_action_areas;
    const char **labels = calloc(n + 1, sizeof *labels);
    double *values = calloc((n + 1) * k, sizeof *values);
    unsigned char *has = calloc((n + 1) * k, 1);
    static const char *const SERIES[] = {"Score", "alignment"};
    static const char *const CLASSES[] = {"s0", "s3"};
    if (!labels || !values || !has) {
        b->failed = 1;
        goto done;
    }
    acv_buf_puts(b, "<section id=\"scores\"><div class=\"wrap\">\n<h2>Scores by pillar and "
                    "action area</h2>\n<p class=\"lead\">Each score places the city between the "
                    "worst and best values for ASEAN cities, 0 to 100; higher is always "
                    "better.");
    if (m->has_alignment)
        acv_buf_puts(b, " Alignment is the self-assessment: how far policies, budgets, "
                        "capacity, data and partnerships are in place (0-100).");
    acv_buf_puts(b, "</p>\n");
    if (m->has_alignment)
        acv_buf_puts(b, "<div class=\"legend\" aria-hidden=\"true\"><span><svg width=\"14\" "
                        "height=\"14\"><rect class=\"s0\" width=\"14\" height=\"14\" "
                        "rx=\"3\"/></svg>Score (indicators)</span><span><svg width=\"14\" "
                        "height=\"14\"><rect class=\"s3\" width=\"14\" height=\"14\" "
                        "rx=\"3\"/></svg>Alignment (self-assessment)</span></div>\n");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        labels[p] = fw->pillars[p].name;
        values[p * k] = m->pillars[p].score;
        has[p * k] = m->pillars[p].code && m->pillars[p].has_score;
        if (k == 2) {
            values[p * k + 1] = m->alignment_pillars[p].score;
            has[p * k + 1] = m->alignment_pillars[p].code && m->alignment_pillars[p].has_score;
        }
    }
    bar_chart pc = {"chart-pillars",
                    "Pillar scores",
                    "Pillar scores out of 100.",
                    fw->n_pillars,
                    k,
                    labels,
                    SERIES,
                    CLASSES,
                    values,
                    has,
                    k == 2};
    acv_buf_puts(b, "<h3>Pillars</h3>\n");
    bar_chart_svg(b, &pc);
    /* one chart per pillar keeps the action areas next to the pillar they belong to */
    for (size_t p = 0; p < fw->n_pillars; p++) {
        size_t count = 0;
        for (size_t a = 0; a < fw->n_action_areas; a++) {
            if (fw->action_areas[a].pillar != p)
                continue;
            labels[count] = fw->action_areas[a].name;
            values[count * k] = m->action_areas[a].score;
            has[count * k] = m->action_areas[a].code && m->action_areas[a].has_score;
            if (k == 2) {
                values[count * k + 1] = m->alignment_areas[a].score;
                has[count * k + 1] = m->alignment_areas[a].code && m->alignment_areas[a].has_score;
            }
            count++;
        }
        if (!count)
            continue;
        char id[64], title[300], intro[300];
        snprintf(id, sizeof id, "chart-areas-%zu", p);
        snprintf(title, sizeof title, "Action-area scores: %s", fw->pillars[p].name);
        snprintf(intro, sizeof intro, "Action-area scores out of 100 in the %s pillar.",
                 fw->pillars[p].name);
        bar_chart ac = {id, title, intro, count, k, labels, SERIES, CLASSES, values, has, k == 2};
        acv_buf_puts(b, "<h3>");
        esc(b, fw->pillars[p].name);
        acv_buf_puts(b, ": action areas</h3>\n");
        bar_chart_svg(b, &ac);
    }
    acv_buf_puts(b, "</div></section>\n");
done:
    free(labels);
    free(values);
    free(has);
}

static void target_text(acv_buf *b, const acv_indicator *ind)
{
    char target[160];
    acv_target_describe(ind, acv_indicator_target(ind, 2030), target, sizeof target);
    if (strcmp(target, "none") == 0)
        acv_buf_puts(b, "<span class=\"nodata\">none set</span>");
    else {
        esc(b, target);
        /* absolute targets are in the indicator's unit */
        const acv_target *t = acv_indicator_target(ind, 2030);
        if (t && t->kind && strcmp(t->kind, "abs") == 0 && shows_unit(ind->unit)) {
            if (strcmp(ind->unit, "%") != 0)
                acv_buf_puts(b, " ");
            esc(b, ind->unit);
        }
    }
}

static void marks(acv_buf *b, const acv_indicator *ind)
{
    if (ind->local)
        acv_buf_puts(b, " <span class=\"adapted\" title=\"added by the city's adaptation, not "
                        "part of the ASEAN framework\">local</span>");
    else if (ind->changed)
        acv_buf_puts(b, " <span class=\"adapted\" title=\"changed by the city's adaptation: "
                        "not comparable with other cities\">adapted</span>");
    if (!ind->core)
        acv_buf_puts(b, " <span class=\"pg pg-none\">optional</span>");
}

static void indicator_card(acv_buf *b, const acv_report_model *m, size_t i)
{
    const acv_indicator *ind = &m->fw->indicators[i];
    const acv_result *r = &m->indicators[i];
    acv_buf_puts(b, "<article class=\"card\"><div class=\"top\"><span class=\"id mono\">");
    esc(b, ind->id);
    acv_buf_puts(b, "</span>");
    progress_badge(b, m->vocab, r->code ? r->class_name : NULL);
    acv_buf_puts(b, "</div><h4>");
    esc(b, ind->short_name);
    marks(b, ind);
    acv_buf_puts(b, "</h4><div class=\"now\"><span class=\"num\">");
    if (r->code && r->has_value) {
        number(b, r->value);
        if (ind->unit && strcmp(ind->unit, "%") == 0)
            acv_buf_puts(b, "%");
        acv_buf_puts(b, "</span>");
        if (shows_unit(ind->unit) && strcmp(ind->unit, "%") != 0) {
            acv_buf_puts(b, "<span class=\"when\">");
            esc(b, ind->unit);
            acv_buf_puts(b, "</span>");
        }
        acv_buf_puts(b, "<span class=\"when\">in ");
        esc(b, r->period);
        acv_buf_puts(b, "</span>");
        if (r->imputed)
            acv_buf_puts(b, "<span class=\"imp\" title=\"carried forward or interpolated, "
                            "not observed\">imputed</span>");
    } else {
        acv_buf_puts(b, "<span class=\"nodata\">no data</span></span>");
    }
    acv_buf_puts(b, "</div>\n");
    char id[128];
    acv_buf idb = {0};
    dom_id(&idb, "ts", ind->id, i);
    snprintf(id, sizeof id, "%s", idb.data ? idb.data : "ts");
    acv_buf_free(&idb);
    series_svg(b, id, ind, &m->series[i]);
    acv_buf_puts(b, "<div class=\"facts\"><span><b>Score</b> ");
    if (r->code && r->has_score)
        acv_buf_printf(b, "%.1f / 100", r->score);
    else
        no_data(b);
    acv_buf_puts(b, "</span><span><b>2030 target</b> ");
    target_text(b, ind);
    acv_buf_printf(b, "</span><span class=\"dir\"><b>Better when</b> %s</span>",
                   ind->direction == ACV_DIR_LOWER        ? "lower"
                   : ind->direction == ACV_DIR_CONTEXTUAL ? "not scored (context)"
                                                          : "higher");
    acv_buf_puts(b, "<span><b>Baseline</b> ");
    value_unit(b, m->series[i].points[0].value, ind->unit);
    acv_buf_puts(b, " (");
    esc(b, m->series[i].points[0].period);
    acv_buf_puts(b, ")</span></div>");
    if (r->code && r->note && *r->note) {
        acv_buf_puts(b, "<p class=\"note\">");
        esc(b, r->note);
        acv_buf_puts(b, "</p>");
    }
    acv_buf_puts(b, "</article>\n");
}

/* Whether indicator i has an observation or a value scored (a derived or linked one may have a
 * value without a series of its own). */
static int has_data(const acv_report_model *m, size_t i)
{
    return m->series[i].n || (m->indicators[i].code && m->indicators[i].has_value);
}

/* The indicators of pillar p without any observation, folded into one line per action area: a
 * city with little data would otherwise scroll (and print) through a row or a card for each. */
static void missing_list(acv_buf *b, const acv_report_model *m, size_t p)
{
    const acv_framework *fw = m->fw;
    acv_buf_printf(b, "<div class=\"fold\" id=\"nodata-%zu\"><p><b>No data yet</b></p><ul>", p);
    for (size_t a = 0; a < fw->n_action_areas; a++) {
        if (fw->action_areas[a].pillar != p)
            continue;
        size_t n = 0;
        for (size_t i = 0; i < fw->n_indicators; i++) {
            const acv_indicator *ind = &fw->indicators[i];
            if (ind->action_area != a || has_data(m, i))
                continue;
            if (!n++) {
                acv_buf_puts(b, "<li><b>");
                esc(b, fw->action_areas[a].name);
                acv_buf_puts(b, ":</b> <ul class=\"inline\">");
            }
            acv_buf_puts(b, "<li><span class=\"mono\">");
            esc(b, ind->id);
            acv_buf_puts(b, "</span> ");
            esc(b, ind->short_name);
            if (!ind->core)
                acv_buf_puts(b, " (optional)");
            if (ind->not_applicable) {
                acv_buf_puts(b, " — not applicable: ");
                esc(b, ind->not_applicable);
            }
            /* a derived indicator's note names the data element to collect; the others only
             * say there is no data, which the list already does */
            const acv_result *r = &m->indicators[i];
            if (ind->has_formula && r->code && r->note && *r->note) {
                acv_buf_puts(b, " (");
                esc(b, r->note);
                acv_buf_puts(b, ")");
            }
            acv_buf_puts(b, "</li>");
        }
        if (n)
            acv_buf_puts(b, "</ul></li>");
    }
    acv_buf_puts(b, "</ul></div>\n");
}

static void indicator_section(acv_buf *b, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    acv_buf_puts(b, "<section id=\"indicators\"><div class=\"wrap\">\n<h2>Indicators over "
                    "time</h2>\n<p class=\"lead\">Each chart shows the observed values (the "
                    "ring is the latest), the baseline (the first value, dotted) and, where the "
                    "2030 target is a value, the target (dashed). Progress is shown in colour, "
                    "with a symbol and in words.</p>\n<div class=\"legend\">");
    static const char *const ORDER[] = {
        "target_achieved", "on_track",      "progress_needs_acceleration",
        "stagnating",      "deterioration", "insufficient_data"};
    for (size_t c = 0; c < sizeof ORDER / sizeof *ORDER; c++)
        progress_badge(b, m->vocab, ORDER[c]);
    progress_badge(b, m->vocab, NULL);
    acv_buf_puts(b, "<span class=\"imp\">imputed</span> carried forward or interpolated"
                    "</div>\n");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        size_t with = 0, without = 0, cards = 0;
        for (size_t i = 0; i < fw->n_indicators; i++) {
            if (fw->action_areas[fw->indicators[i].action_area].pillar != p)
                continue;
            with += has_data(m, i);
            without += !has_data(m, i);
            cards += m->series[i].n > 0;
        }
        acv_buf_puts(b, "<h3>");
        esc(b, fw->pillars[p].name);
        acv_buf_printf(b, " <small class=\"nodata\">%zu with data, %zu without</small></h3>\n",
                       with, without);
        if (cards) {
            acv_buf_puts(b, "<div class=\"cards\">\n");
            for (size_t i = 0; i < fw->n_indicators; i++)
                if (fw->action_areas[fw->indicators[i].action_area].pillar == p && m->series[i].n)
                    indicator_card(b, m, i);
            acv_buf_puts(b, "</div>\n");
        }
        if (without)
            missing_list(b, m, p);
    }
    acv_buf_puts(b, "</div></section>\n");
}

static void changes_section(acv_buf *b, const acv_report_model *m)
{
    acv_buf_puts(b, "<section id=\"changes\"><div class=\"wrap\">\n<h2>What this city changed "
                    "against the ASEAN framework</h2>\n");
    if (!m->n_changes) {
        acv_buf_puts(b, "<p class=\"lead\">Nothing: this run used the ASEAN framework as "
                        "published, so every score is comparable with other cities' "
                        "scores.</p>\n</div></section>\n");
        return;
    }
    acv_buf_puts(b, "<p class=\"lead\">");
    if (m->overlay) {
        acv_buf_puts(b, "Adaptation <b>");
        esc(b, m->overlay);
        acv_buf_puts(b, "</b>. ");
    }
    acv_buf_puts(b, "Scores of adapted indicators are not comparable with other cities'; the "
                    "unchanged core indicators are.</p>\n<ul class=\"changes box\">");
    acv_buf_items(b, m->changes, m->n_changes, NULL, "<li>", "</li>", esc);
    acv_buf_puts(b, "</ul>\n</div></section>\n");
}

static void appendix(acv_buf *b, const acv_report_model *m)
{
    const acv_framework *fw = m->fw;
    acv_buf_puts(b, "<section id=\"table\" class=\"appendix\"><div class=\"wrap\">\n<h2>All "
                    "indicators</h2>\n<p class=\"lead\">The full table, for reading on screen "
                    "(on paper the cards above carry the same figures). “no data” means no "
                    "observation up to the year scored.</p>\n");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        /* indicators without any observation are listed once, folded, under "Indicators over
         * time"; here they would be a row of dashes each */
        size_t with = 0, without = 0;
        for (size_t i = 0; i < fw->n_indicators; i++) {
            if (fw->action_areas[fw->indicators[i].action_area].pillar != p)
                continue;
            if (has_data(m, i))
                with++;
            else
                without++;
        }
        if (!with) {
            acv_buf_puts(b, "<p><b>");
            esc(b, fw->pillars[p].name);
            acv_buf_printf(b,
                           "</b>: <a href=\"#nodata-%zu\">no data yet</a> for its %zu "
                           "indicators.</p>\n",
                           p, without);
            continue;
        }
        table_open(b, fw->pillars[p].name);
        acv_buf_puts(b, "<caption>");
        esc(b, fw->pillars[p].name);
        acv_buf_puts(b, "</caption><thead><tr><th scope=\"col\">Indicator</th><th "
                        "scope=\"col\" class=\"n\">Value</th><th scope=\"col\">Year</th><th "
                        "scope=\"col\">2030 target</th><th scope=\"col\" "
                        "class=\"n\">Score</th><th scope=\"col\">Progress</th><th "
                        "scope=\"col\">Note</th></tr></thead><tbody>");
        for (size_t i = 0; i < fw->n_indicators; i++) {
            const acv_indicator *ind = &fw->indicators[i];
            if (fw->action_areas[ind->action_area].pillar != p)
                continue;
            const acv_result *r = &m->indicators[i];
            if (!has_data(m, i))
                continue;
            acv_buf_puts(b, "<tr><th scope=\"row\"><span class=\"mono\">");
            esc(b, ind->id);
            acv_buf_puts(b, "</span> ");
            esc(b, ind->short_name);
            marks(b, ind);
            acv_buf_puts(b, "</th><td class=\"n\">");
            if (r->code && r->has_value) {
                value_unit(b, r->value, ind->unit);
                if (r->imputed)
                    acv_buf_puts(b, " <span class=\"imp\">imputed</span>");
            } else
                no_data(b);
            acv_buf_puts(b, "</td><td>");
            if (r->code && r->period)
                esc(b, r->period);
            acv_buf_puts(b, "</td><td class=\"t\">");
            target_text(b, ind);
            acv_buf_puts(b, "</td><td class=\"n\">");
            if (r->code && r->has_score)
                acv_buf_printf(b, "%.1f", r->score);
            else
                acv_buf_puts(b, "<span class=\"nodata\">—</span>");
            acv_buf_puts(b, "</td><td>");
            if (r->code && r->class_name)
                progress_badge(b, m->vocab, r->class_name);
            acv_buf_puts(b, "</td><td>");
            esc(b, r->code ? r->note : "not scored in this run");
            acv_buf_puts(b, "</td></tr>");
        }
        acv_buf_puts(b, "</tbody>");
        table_close(b);
        if (without)
            acv_buf_printf(b,
                           "<p class=\"nodata\">and <a href=\"#nodata-%zu\">%zu indicator%s "
                           "with no data yet</a>.</p>\n",
                           p, without, without == 1 ? "" : "s");
    }
    acv_buf_puts(b, "</div></section>\n");
}

static void method_section(acv_buf *b, const acv_report_model *m)
{
    acv_buf_printf(b,
                   "<section id=\"method\"><div class=\"wrap\">\n<h2>How these numbers were "
                   "made</h2>\n<div class=\"box\"><p>Indicator values up to %d are placed "
                   "between the framework's worst and best values for ASEAN cities and scaled "
                   "to 0-100 (higher is always better; values beyond the bounds are clamped). "
                   "Action-area, pillar and overall scores are weighted means of the scores "
                   "below them, given only when enough data exist; missing indicators are "
                   "never counted as zero, which is why each score says how many of its parts "
                   "were scored. Alignment is the self-assessment: the mean maturity level of "
                   "the answers (0-4) times 25. The formulas are the Lua scripts in "
                   "<code>scripts/</code>; see <code>docs/methodology.md</code>.</p>"
                   "<p>The same run, with the same framework, data and methods, gives the same "
                   "numbers: ",
                   m->year);
    stamp(b, m);
    acv_buf_puts(b, ".</p></div>\n</div></section>\n");
}

acv_status acv_render_html(const acv_report_model *m, acv_buf *b, acv_error *err)
{
    /* a buffer, not a fixed array: cutting a long Thai name could split a UTF-8 sequence */
    acv_buf title = {0};
    acv_buf_printf(&title, "ACV 2045 report: %s (%d)", m->name ? m->name : m->code, m->year);
    page_open(b, title.data ? title.data : "ACV 2045 report");
    acv_buf_free(&title);
    header(b, m);
    acv_buf_puts(b, "<main>\n");
    pillar_tiles(b, m);
    priorities(b, m);
    data_to_collect(b, m);
    score_charts(b, m);
    indicator_section(b, m);
    changes_section(b, m);
    appendix(b, m);
    method_section(b, m);
    acv_buf_puts(b, "</main>\n<footer><div class=\"wrap\">Made with acvtrack from run ");
    acv_buf_printf(b, "%lld of ", (long long)m->run_id);
    esc(b, m->code);
    acv_buf_puts(b, ". Indicator values, targets and scores as stored by that run; the names "
                    "shown are the current framework's.</div></footer>\n");
    return page_close(b, "report", err);
}

/* ---- the comparison ---------------------------------------------------------------------- */

static void country_label(char *out, size_t size, const char *country)
{
    snprintf(out, size, "%s (population-weighted)", country ? country : "no country");
}

static void compare_header(acv_buf *b, const acv_compare_model *c)
{
    acv_buf_puts(b, "<header class=\"mast\"><div class=\"wrap\">\n<p class=\"kicker\">ASEAN "
                    "Community Vision 2045 · Comparison of areas</p>\n<h1>");
    /* a handful of names make a title; a whole country's cities do not */
    if (c->n_areas > 4) {
        acv_buf_printf(b, "%zu areas of ", c->n_areas);
        for (size_t j = 0; j < c->n_countries; j++) {
            if (j)
                acv_buf_puts(b, j + 1 == c->n_countries ? " and " : ", ");
            esc(b, c->countries[j].country ? c->countries[j].country : "no country");
        }
    } else
        acv_compare_names(c, b, esc);
    acv_buf_puts(b, "</h1>\n<p class=\"sub\">");
    acv_buf_printf(b, "%zu areas", c->n_areas);
    if (c->year)
        acv_buf_printf(b, " · results for %d", c->year);
    else
        acv_buf_puts(b, " · each area's latest scoring run");
    acv_buf_printf(b,
                   " · compared on the %zu core indicators every area applies (%zu with "
                   "data)</p>\n",
                   c->n_common, c->n_common_with_data);
    acv_buf_puts(b, "<p class=\"stamp\">Reproducibility: each area's run, scoring time and "
                    "hashes are listed under “Areas compared”, at the end.</p>\n</div></header>\n");
}

static void compare_areas_table(acv_buf *b, const acv_compare_model *c)
{
    acv_buf_puts(b, "<section id=\"areas\"><div class=\"wrap\">\n<h2>Areas compared</h2>\n");
    table_open(b, "Areas compared");
    acv_buf_puts(b, "<thead><tr><th scope=\"col\">Area</th><th "
                    "scope=\"col\">Country</th><th scope=\"col\" class=\"n\">Population</th>"
                    "<th scope=\"col\" class=\"n\">Year</th><th scope=\"col\">City "
                    "adaptation</th><th scope=\"col\">Run</th></tr></thead><tbody>");
    for (size_t i = 0; i < c->n_areas; i++) {
        const acv_report_model *m = c->areas[i].m;
        acv_buf_puts(b, "<tr><th scope=\"row\">");
        esc(b, m->name);
        acv_buf_puts(b, " <span class=\"mono nodata\">");
        esc(b, m->code);
        acv_buf_puts(b, "</span></th><td>");
        text_or_no_data(b, m->country);
        acv_buf_puts(b, "</td><td class=\"n\">");
        population_in_full(b, m);
        acv_buf_printf(b, "</td><td class=\"n\">%d</td><td>", m->year);
        adaptation(b, m, "none");
        acv_buf_puts(b, "</td><td class=\"mono\" style=\"font-size:.75rem\">");
        stamp(b, m);
        acv_buf_puts(b, "</td></tr>");
    }
    acv_buf_puts(b, "</tbody>");
    table_close(b);
    if (c->n_skipped) {
        acv_buf_puts(b, "<p><b>Not compared</b> (no scoring run):</p><ul>");
        acv_buf_items(b, c->skipped, c->n_skipped, NULL, "<li>", "</li>", esc);
        acv_buf_puts(b, "</ul>\n");
    }
    acv_buf_puts(b, "</div></section>\n");
}

static void compare_chart(acv_buf *b, const acv_compare_model *c)
{
    const acv_framework *fw = c->fw;
    size_t k = c->n_areas + c->n_countries, groups = fw->n_pillars + 1;
    const char **labels = calloc(groups, sizeof *labels);
    const char **names = calloc(k, sizeof *names);
    const char **classes = calloc(k, sizeof *classes);
    char **owned = calloc(c->n_countries + 1, sizeof *owned);
    double *values = calloc(groups * k, sizeof *values);
    unsigned char *has = calloc(groups * k, 1);
    static const char *const PALETTE[] = {"s0", "s1", "s2", "s3", "s4", "s5", "s6"};
    if (!labels || !names || !classes || !owned || !values || !has) {
        b->failed = 1;
        goto done;
    }
    labels[0] = "Overall";
    for (size_t p = 0; p < fw->n_pillars; p++)
        labels[p + 1] = fw->pillars[p].name;
    for (size_t i = 0; i < c->n_areas; i++) {
        const acv_report_model *m = c->areas[i].m;
        names[i] = m->name;
        classes[i] = PALETTE[i % 7];
        values[i] = m->overall.score;
        has[i] = m->overall.code && m->overall.has_score;
        for (size_t p = 0; p < fw->n_pillars; p++) {
            values[(p + 1) * k + i] = m->pillars[p].score;
            has[(p + 1) * k + i] = m->pillars[p].code && m->pillars[p].has_score;
        }
    }
    for (size_t j = 0; j < c->n_countries; j++) {
        const acv_compare_country *cc = &c->countries[j];
        size_t s = c->n_areas + j;
        owned[j] = malloc(256);
        if (!owned[j]) {
            b->failed = 1;
            goto done;
        }
        country_label(owned[j], 256, cc->country);
        names[s] = owned[j];
        classes[s] = "sagg";
        values[s] = cc->overall.value;
        has[s] = cc->overall.has;
        for (size_t p = 0; p < fw->n_pillars; p++) {
            values[(p + 1) * k + s] = cc->pillars[p].value;
            has[(p + 1) * k + s] = cc->pillars[p].has;
        }
    }
    acv_buf_puts(b, "<section id=\"scores\"><div class=\"wrap\">\n<h2>Overall and pillar "
                    "scores</h2>\n<p class=\"lead\">Scores out of 100 from each area's own run. "
                    "The dark bar is the country figure: the mean of its cities' scores "
                    "weighted by population (see “Country figures” below).</p>\n");
    bar_chart bc = {"chart-compare",
                    "Overall and pillar scores by area",
                    "Scores out of 100 by area.",
                    groups,
                    k,
                    labels,
                    names,
                    classes,
                    values,
                    has,
                    0};
    bar_chart_svg(b, &bc);
    acv_buf_puts(b, "</div></section>\n");
done:
    for (size_t j = 0; owned && j < c->n_countries; j++)
        free(owned[j]);
    free(owned);
    free(labels);
    free(names);
    free(classes);
    free(values);
    free(has);
}

static void compare_indicators(acv_buf *b, const acv_compare_model *c)
{
    const acv_framework *fw = c->fw;
    acv_buf_puts(b, "<section id=\"indicators\"><div class=\"wrap\">\n<h2>Common core "
                    "indicators</h2>\n<p class=\"lead\">Core indicators that every compared "
                    "area applies, with the latest value, its year, the score (0-100) and the "
                    "progress class. <span class=\"adapted\">adapted</span> marks a score the "
                    "city's own adaptation changed: it is shown but not comparable, and left "
                    "out of the country figure.</p>\n");
    for (size_t p = 0; p < fw->n_pillars; p++) {
        int any = 0;
        for (size_t i = 0; i < fw->n_indicators; i++) {
            if (!c->common[i] || fw->action_areas[fw->indicators[i].action_area].pillar != p ||
                !acv_compare_has_data(c, i))
                continue;
            if (!any) {
                table_open(b, fw->pillars[p].name);
                acv_buf_puts(b, "<caption>");
                esc(b, fw->pillars[p].name);
                acv_buf_puts(b, "</caption><thead><tr><th scope=\"col\">Indicator</th>");
                for (size_t a = 0; a < c->n_areas; a++) {
                    acv_buf_puts(b, "<th scope=\"col\">");
                    esc(b, c->areas[a].m->name);
                    acv_buf_puts(b, "</th>");
                }
                for (size_t j = 0; j < c->n_countries; j++) {
                    char label[256];
                    country_label(label, sizeof label, c->countries[j].country);
                    acv_buf_puts(b, "<th scope=\"col\" class=\"n\">");
                    esc(b, label);
                    acv_buf_puts(b, "</th>");
                }
                acv_buf_puts(b, "</tr></thead><tbody>");
                any = 1;
            }
            const acv_indicator *ind = &fw->indicators[i];
            acv_buf_puts(b, "<tr><th scope=\"row\"><span class=\"mono\">");
            esc(b, ind->id);
            acv_buf_puts(b, "</span> ");
            esc(b, ind->short_name);
            acv_buf_puts(b, "<br><small class=\"nodata\">2030 target ");
            target_text(b, ind);
            acv_buf_puts(b, "</small></th>");
            for (size_t a = 0; a < c->n_areas; a++) {
                const acv_result *r = &c->areas[a].m->indicators[i];
                acv_buf_puts(b, "<td>");
                if (r->code && r->has_value) {
                    acv_buf_puts(b, "<b>");
                    value_unit(b, r->value, ind->unit);
                    acv_buf_puts(b, "</b> <small class=\"nodata\">");
                    esc(b, r->period);
                    acv_buf_puts(b, "</small>");
                    if (r->imputed)
                        acv_buf_puts(b, " <span class=\"imp\">imputed</span>");
                    acv_buf_puts(b, "<br>");
                    if (r->has_score)
                        acv_buf_printf(b, "score %.1f", r->score);
                    else
                        acv_buf_puts(b, "<span class=\"nodata\">no score</span>");
                    if (c->areas[a].adapted[i])
                        acv_buf_puts(b, " <span class=\"adapted\">adapted</span>");
                    if (r->class_name) {
                        acv_buf_puts(b, "<br>");
                        progress_badge(b, c->areas[a].m->vocab, r->class_name);
                    }
                } else
                    no_data(b);
                acv_buf_puts(b, "</td>");
            }
            for (size_t j = 0; j < c->n_countries; j++) {
                const acv_weighted_mean *w = &c->countries[j].indicators[i];
                acv_buf_puts(b, "<td class=\"n\">");
                if (w->has)
                    acv_buf_printf(b, "<b>%.1f</b><br><small class=\"nodata\">%d cit%s</small>",
                                   w->value, w->n, w->n == 1 ? "y" : "ies");
                else
                    no_data(b);
                acv_buf_puts(b, "</td>");
            }
            acv_buf_puts(b, "</tr>");
        }
        if (any) {
            acv_buf_puts(b, "</tbody>");
            table_close(b);
        }
    }
    if (c->n_common > c->n_common_with_data)
        acv_buf_printf(b,
                       "<p class=\"nodata\">%zu further common core indicators have no data "
                       "in any compared area.</p>\n",
                       c->n_common - c->n_common_with_data);
    acv_buf_puts(b, "</div></section>\n");
}

static void compare_countries(acv_buf *b, const acv_compare_model *c)
{
    const acv_framework *fw = c->fw;
    acv_buf_puts(b, "<section id=\"countries\"><div class=\"wrap\">\n<h2>Country figures</h2>\n"
                    "<p class=\"lead\">A country figure is the mean of its compared cities' "
                    "scores weighted by population: Σ population × score ÷ Σ population, over "
                    "the cities that have both. Cities without a population are left out and "
                    "listed. It describes the compared cities, not the whole country.</p>\n");
    for (size_t j = 0; j < c->n_countries; j++) {
        const acv_compare_country *cc = &c->countries[j];
        acv_buf_puts(b, "<h3>");
        esc(b, cc->country ? cc->country : "no country");
        acv_buf_puts(b, "</h3>");
        table_open(b, cc->country ? cc->country : "no country");
        acv_buf_puts(b, "<thead><tr><th scope=\"col\">City</th><th "
                        "scope=\"col\" class=\"n\">Population</th><th scope=\"col\" "
                        "class=\"n\">Weight</th><th scope=\"col\" class=\"n\">Overall</th>");
        for (size_t p = 0; p < fw->n_pillars; p++) {
            acv_buf_puts(b, "<th scope=\"col\" class=\"n\">");
            esc(b, fw->pillars[p].name);
            acv_buf_puts(b, "</th>");
        }
        acv_buf_puts(b, "</tr></thead><tbody>");
        for (size_t k = 0; k < cc->n_members; k++) {
            const acv_report_model *m = NULL;
            for (size_t a = 0; a < c->n_areas; a++)
                if (strcmp(c->areas[a].m->code, cc->members[k]) == 0)
                    m = c->areas[a].m;
            if (!m)
                continue;
            acv_buf_puts(b, "<tr><th scope=\"row\">");
            esc(b, m->name);
            acv_buf_puts(b, "</th><td class=\"n\">");
            whole_number(b, m->population);
            acv_buf_printf(b, "</td><td class=\"n\">%.1f%%</td>",
                           cc->population > 0 ? 100.0 * m->population / cc->population : 0);
            acv_buf_puts(b, "<td class=\"n\">");
            score_or_no_data(b, m->overall.code && m->overall.has_score, m->overall.score);
            acv_buf_puts(b, "</td>");
            for (size_t p = 0; p < fw->n_pillars; p++) {
                acv_buf_puts(b, "<td class=\"n\">");
                score_or_no_data(b, m->pillars[p].code && m->pillars[p].has_score,
                                 m->pillars[p].score);
                acv_buf_puts(b, "</td>");
            }
            acv_buf_puts(b, "</tr>");
        }
        acv_buf_puts(b, "</tbody><tfoot><tr><th scope=\"row\">Country figure</th><td "
                        "class=\"n\">");
        whole_number(b, cc->population);
        acv_buf_puts(b, "</td><td class=\"n\">100%</td><td class=\"n\"><b>");
        score_or_no_data(b, cc->overall.has, cc->overall.value);
        acv_buf_puts(b, "</b></td>");
        for (size_t p = 0; p < fw->n_pillars; p++) {
            acv_buf_puts(b, "<td class=\"n\"><b>");
            score_or_no_data(b, cc->pillars[p].has, cc->pillars[p].value);
            acv_buf_puts(b, "</b></td>");
        }
        acv_buf_puts(b, "</tr></tfoot>");
        table_close(b);
        if (cc->n_excluded) {
            acv_buf_puts(b, "<p>Left out, no population recorded: ");
            acv_buf_items(b, cc->excluded, cc->n_excluded, ", ", "<code>", "</code>", esc);
            acv_buf_puts(b, ".</p>\n");
        }
    }
    acv_buf_puts(b, "</div></section>\n");
}

acv_status acv_render_compare_html(const acv_compare_model *c, acv_buf *b, acv_error *err)
{
    acv_buf title = {0};
    acv_buf_puts(&title, "ACV 2045 comparison: ");
    for (size_t i = 0; i < c->n_areas; i++) {
        if (i)
            acv_buf_puts(&title, ", ");
        acv_buf_puts(&title, c->areas[i].m->name);
    }
    page_open(b, title.data ? title.data : "ACV 2045 comparison");
    acv_buf_free(&title);
    compare_header(b, c);
    acv_buf_puts(b, "<main>\n");
    compare_chart(b, c);
    compare_indicators(b, c);
    compare_countries(b, c);
    compare_areas_table(b, c); /* the run stamps last: they are for checking, not reading */
    acv_buf_puts(b, "</main>\n<footer><div class=\"wrap\">Made with acvtrack from the stored "
                    "scoring runs listed above; the names shown are the current "
                    "framework's.</div></footer>\n");
    return page_close(b, "comparison", err);
}

/* ---- the comparison of many areas ----------------------------------------------------------- */

/* One colour per highlighted area (Okabe-Ito, then two dark tones), grey for every other area:
 * a colour always means the same area on the page, and each also carries its number. */
static const char *const HIGHLIGHT_COLOURS[ACV_COMPARE_HIGHLIGHT_MAX] = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#6A3D9A"};
#define OTHER_AREAS_GREY "#b4bcc6"
#define RANK_PAGE_ROWS 50 /* as P in RANK_SCRIPT */

static const char MANY_CSS[] =
    ".sw{display:inline-block;min-width:1.35em;padding:0 .3em;border-radius:4px;color:#fff;"
    "font-weight:700;font-size:.8rem;text-align:center;margin-right:.35em}\n"
    ".sw.grey{background:" OTHER_AREAS_GREY "}.sw.wm{background:#0b2545}\n"
    ".lvl{border-top:1px solid var(--line);padding:14px 0 6px}\n"
    ".lvl h3{margin:0 0 4px}\n"
    ".lvl .stats{font-size:.9rem;color:var(--muted)}\n"
    ".dist{width:100%;max-width:680px;height:auto;display:block;margin:6px 0}\n"
    ".dist text{font-family:inherit;font-size:11px;fill:var(--muted)}\n"
    ".dist .num{fill:#fff;font-weight:700;font-size:10px}\n"
    "ul.hl{list-style:none;margin:4px 0;padding:0;font-size:.9rem}ul.hl li{margin:.15rem 0;"
    "overflow-wrap:anywhere}\n"
    ".tb{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:6px 22px}\n"
    ".tb table.data{min-width:0}\n"
    "table.data th[scope=row]{overflow-wrap:anywhere}\n"
    "tr.hl th[scope=row]{box-shadow:inset 4px 0 0 var(--hc)}\n"
    ".pager{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:6px 0}\n"
    ".pager button{font:inherit;padding:2px 10px}\n"
    "details.aas>summary{cursor:pointer;font-weight:600;color:var(--navy);margin:12px 0}\n";

/* The pager of the ranking: rows come from the JSON block #rank-data (rank, code, name, country,
 * population, highlight, scores), fifty per page, and a filter by name or code. Text goes in
 * with textContent only. Allowed by its hash in the page's policy (page_open_with). */
static const char RANK_SCRIPT[] =
    "(function(){var D=JSON.parse(document.getElementById('rank-data').textContent),"
    "B=document.getElementById('rank-body'),I=document.getElementById('rank-page'),"
    "F=document.getElementById('rank-find'),P=50,p=0,R=D.rows,"
    "C=D.colours;"
    "function td(tr,t,c){var e=document.createElement(c?'th':'td');e.textContent=t;"
    "if(c)e.scope='row';else e.className='n';tr.appendChild(e);return e}"
    "function show(){var n=Math.max(1,Math.ceil(R.length/P));p=Math.min(Math.max(p,0),n-1);"
    "var f=document.createDocumentFragment();R.slice(p*P,p*P+P).forEach(function(r){"
    "var tr=document.createElement('tr');td(tr,r[0]==null?'\\u2014':r[0]);"
    "var h=td(tr,'',1);if(r[5]){tr.className='hl';tr.style.setProperty('--hc',C[r[5]-1]);"
    "var s=document.createElement('span');s.className='sw';s.style.background=C[r[5]-1];"
    "s.textContent=r[5];h.appendChild(s)}h.appendChild(document.createTextNode(r[2]+' '));"
    "var c=document.createElement('span');c.className='mono nodata';c.textContent=r[1];"
    "h.appendChild(c);var k=td(tr,r[3]||'\\u2014');k.className='';"
    "td(tr,r[4]==null?'\\u2014':r[4].toLocaleString('en-US'));"
    "for(var i=6;i<r.length;i++)td(tr,r[i]==null?'\\u2014':r[i].toFixed(1));f.appendChild(tr)});"
    "B.replaceChildren(f);I.textContent='Page '+(p+1)+' of '+n+' \\u00b7 '+R.length+' areas'}"
    "function go(d){return function(){p=d==='first'?0:d==='last'?1e9:p+d;show()}}"
    "['first',-1,1,'last'].forEach(function(d,i){document.getElementById('rank-b'+i)"
    ".addEventListener('click',go(d))});"
    "F.addEventListener('input',function(){var q=F.value.toLowerCase();R=q?D.rows.filter("
    "function(r){return (r[1]+' '+r[2]).toLowerCase().indexOf(q)>=0}):D.rows;p=0;show()});"
    "document.getElementById('rank-pager').hidden=false;show()})();";

/* Base64 of a SHA-256 digest given in hex, as a policy names a script. */
static void sha256_base64(const char *text, char out[45])
{
    static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    acv_sha256 h;
    char hex[65];
    unsigned char raw[33] = {0};
    acv_sha256_init(&h);
    acv_sha256_update(&h, text, strlen(text));
    acv_sha256_final_hex(&h, hex);
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        raw[i] = (unsigned char)v;
    }
    int o = 0;
    for (int i = 0; i < 33; i += 3) {
        unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
        out[o++] = B64[v >> 18 & 63];
        out[o++] = B64[v >> 12 & 63];
        out[o++] = i + 1 < 32 ? B64[v >> 6 & 63] : '=';
        out[o++] = i + 2 < 32 ? B64[v & 63] : '=';
    }
    out[o] = '\0';
}

/* A string inside a <script> data block: JSON, with <, > and & escaped so that the text can never
 * end the block. */
static void script_json_string(acv_buf *b, const char *s)
{
    acv_buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            acv_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
            acv_buf_printf(b, "\\u%04x", *p);
        else
            acv_buf_append(b, (const char *)p, 1);
    }
    acv_buf_puts(b, "\"");
}

static void many_score(acv_buf *b, int has, double v)
{
    char s[32];
    if (!has) {
        no_data(b);
        return;
    }
    acv_format_score(s, sizeof s, v);
    acv_buf_puts(b, s);
}

static void swatch(acv_buf *b, int highlight)
{
    acv_buf_printf(b, "<span class=\"sw\" style=\"background:%s\">%d</span>",
                   HIGHLIGHT_COLOURS[highlight - 1], highlight);
}

static void many_area_name(acv_buf *b, const acv_compare_entry *e)
{
    if (e->highlight)
        swatch(b, e->highlight);
    esc(b, e->name);
    acv_buf_puts(b, " <span class=\"mono nodata\">");
    esc(b, e->code);
    acv_buf_puts(b, "</span>");
}

static void many_level_title(acv_buf *b, const acv_compare_level *lv)
{
    if (strcmp(lv->level, "overall") != 0) {
        esc(b, lv->code);
        acv_buf_puts(b, " ");
    }
    esc(b, lv->name);
}

/* The histogram of a level's scores (bins of 5 points, grey), its box (Q1 to Q3, median, whiskers
 * to min and max), the population-weighted figure (dark triangle) and each highlighted area's
 * score (a line in its colour with its number). No name is drawn in the chart: names are text
 * beside it, where they wrap. */
static void distribution_svg(acv_buf *b, const acv_compare_many *c, size_t l)
{
    const acv_compare_level *lv = &c->levels[l];
    const double x0 = 30, w = 600, top = 34, hist = 64;
#define SX(v) (x0 + (v)*w / 100.0)
    unsigned most = 1;
    for (int k = 0; k < ACV_COMPARE_BINS; k++)
        if (lv->bins[k] > most)
            most = lv->bins[k];
    acv_buf_puts(b, "<svg class=\"dist\" viewBox=\"0 0 660 166\" role=\"img\" aria-label=\"");
    acv_buf_printf(b, "Histogram of %zu scores, ", lv->n_scored);
    many_level_title(b, lv);
    acv_buf_puts(b, "\">");
    for (int k = 0; k < ACV_COMPARE_BINS; k++) {
        if (!lv->bins[k])
            continue;
        double h = hist * lv->bins[k] / most;
        acv_buf_printf(b,
                       "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                       "<title>%d-%d: %u areas</title></rect>",
                       SX(k * 5.0) + 1, top + hist - h, w / ACV_COMPARE_BINS - 2, h,
                       OTHER_AREAS_GREY, k * 5, k * 5 + 5, lv->bins[k]);
    }
    double by = top + hist + 8;
    acv_buf_printf(b,
                   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#5a6675\"/>"
                   "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"#e3e7ed\" "
                   "stroke=\"#5a6675\"/><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                   "stroke=\"#17202b\" stroke-width=\"2\"/>",
                   SX(lv->min), SX(lv->max), by + 7, by + 7, SX(lv->q1), by,
                   SX(lv->q3) - SX(lv->q1), SX(lv->median), SX(lv->median), by, by + 14);
    if (lv->weighted.has)
        acv_buf_printf(b,
                       "<path d=\"M%.1f %.1fl-5 8h10z\" fill=\"#0b2545\"><title>"
                       "population-weighted</title></path>",
                       SX(lv->weighted.value), by + 16);
    for (size_t h = 0; h < c->n_highlighted; h++) {
        size_t a = c->highlighted[h];
        double v;
        if (!acv_compare_many_score(c, a, l, &v))
            continue;
        const char *col = HIGHLIGHT_COLOURS[h];
        /* numbers on two rows, so that two areas with close scores both stay readable */
        double cy = h % 2 ? 25 : 9;
        acv_buf_printf(b,
                       "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                       "stroke-width=\"2\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" "
                       "fill=\"%s\"/><text class=\"num\" x=\"%.1f\" y=\"%.1f\" "
                       "text-anchor=\"middle\">%zu</text>",
                       SX(v), SX(v), cy, by + 14, col, SX(v), cy, col, SX(v), cy + 3.5, h + 1);
    }
    for (int t = 0; t <= 100; t += 20)
        acv_buf_printf(b, "<text x=\"%.1f\" y=\"156\" text-anchor=\"middle\">%d</text>", SX(t), t);
#undef SX
    acv_buf_puts(b, "</svg>\n");
}

static void ranked_table(acv_buf *b, const acv_compare_many *c, size_t l, size_t from, size_t to,
                         const char *label)
{
    const acv_compare_level *lv = &c->levels[l];
    acv_buf_puts(b, "<div><table class=\"data\"><caption>");
    esc(b, label);
    acv_buf_puts(b, "</caption><thead><tr><th scope=\"col\" class=\"n\">Rank</th><th "
                    "scope=\"col\">Area</th><th scope=\"col\" class=\"n\">Score</th></tr>"
                    "</thead><tbody>");
    for (size_t i = from; i < to; i++) {
        size_t a = lv->order[i];
        double v;
        int has = acv_compare_many_score(c, a, l, &v);
        acv_buf_printf(b, "<tr><td class=\"n\">%u</td><th scope=\"row\">",
                       c->ranks[a * c->n_levels + l]);
        many_area_name(b, &c->areas[a]);
        acv_buf_puts(b, "</th><td class=\"n\">");
        many_score(b, has, v);
        acv_buf_puts(b, "</td></tr>");
    }
    acv_buf_puts(b, "</tbody></table></div>");
}

static void level_block(acv_buf *b, const acv_compare_many *c, size_t l)
{
    const acv_compare_level *lv = &c->levels[l];
    acv_buf_printf(b, "<div class=\"lvl\" id=\"level-%s-", lv->level);
    esc(b, lv->code);
    acv_buf_puts(b, "\"><h3>");
    many_level_title(b, lv);
    acv_buf_puts(b, "</h3>\n");
    if (!lv->n_scored) {
        acv_buf_puts(b, "<p class=\"nodata\">No compared area has an official score "
                        "here.</p></div>\n");
        return;
    }
    acv_buf_printf(b, "<p class=\"stats\">%zu areas scored · median <b>", lv->n_scored);
    many_score(b, 1, lv->median);
    acv_buf_puts(b, "</b> · Q1 ");
    many_score(b, 1, lv->q1);
    acv_buf_puts(b, ", Q3 ");
    many_score(b, 1, lv->q3);
    acv_buf_puts(b, " · min ");
    many_score(b, 1, lv->min);
    acv_buf_puts(b, ", max ");
    many_score(b, 1, lv->max);
    acv_buf_puts(b, " · <span class=\"sw wm\">▲</span>population-weighted ");
    many_score(b, lv->weighted.has, lv->weighted.value);
    acv_buf_puts(b, "</p>\n");
    distribution_svg(b, c, l);
    if (c->n_highlighted) {
        acv_buf_puts(b, "<ul class=\"hl\">");
        for (size_t h = 0; h < c->n_highlighted; h++) {
            size_t a = c->highlighted[h];
            double v;
            int has = acv_compare_many_score(c, a, l, &v);
            acv_buf_puts(b, "<li>");
            many_area_name(b, &c->areas[a]);
            acv_buf_puts(b, ": ");
            many_score(b, has, v);
            if (has)
                acv_buf_printf(b, " (rank %u of %zu)", c->ranks[a * c->n_levels + l], lv->n_scored);
            acv_buf_puts(b, "</li>");
        }
        acv_buf_puts(b, "</ul>\n");
    }
    size_t n_top = lv->n_scored < c->top ? lv->n_scored : c->top;
    char label[64];
    acv_buf_puts(b, "<div class=\"tb\">");
    snprintf(label, sizeof label, "Top %zu", n_top);
    ranked_table(b, c, l, 0, n_top, label);
    if (lv->n_scored > n_top) {
        size_t from = lv->n_scored - n_top < n_top ? n_top : lv->n_scored - n_top;
        snprintf(label, sizeof label, "Bottom %zu", lv->n_scored - from);
        ranked_table(b, c, l, from, lv->n_scored, label);
    }
    acv_buf_puts(b, "</div></div>\n");
}

/* One row of the ranking as the pager's data: [rank, code, name, country, population,
 * highlight, overall, pillars...]. */
static void rank_data_row(acv_buf *b, const acv_compare_many *c, size_t a, size_t n_cols)
{
    const acv_compare_entry *e = &c->areas[a];
    unsigned rank = c->ranks[a * c->n_levels];
    char s[64];
    if (rank)
        acv_buf_printf(b, "[%u,", rank);
    else
        acv_buf_puts(b, "[null,");
    script_json_string(b, e->code);
    acv_buf_puts(b, ",");
    script_json_string(b, e->name);
    acv_buf_puts(b, ",");
    script_json_string(b, e->country ? e->country : "");
    acv_format_decimals(s, sizeof s, e->population, 0);
    acv_buf_printf(b, ",%s,%d", e->has_population && *s ? s : "null", e->highlight);
    for (size_t l = 0; l < n_cols; l++) {
        double v;
        if (acv_compare_many_score(c, a, l, &v)) {
            acv_format_decimals(s, sizeof s, v, 1);
            acv_buf_printf(b, ",%s", s);
        } else
            acv_buf_puts(b, ",null");
    }
    acv_buf_puts(b, "]");
}

static void rank_html_row(acv_buf *b, const acv_compare_many *c, size_t a, size_t n_cols)
{
    const acv_compare_entry *e = &c->areas[a];
    unsigned rank = c->ranks[a * c->n_levels];
    if (e->highlight)
        acv_buf_printf(b, "<tr class=\"hl\" style=\"--hc:%s\">",
                       HIGHLIGHT_COLOURS[e->highlight - 1]);
    else
        acv_buf_puts(b, "<tr>");
    if (rank)
        acv_buf_printf(b, "<td class=\"n\">%u</td>", rank);
    else
        acv_buf_puts(b, "<td class=\"n\">—</td>");
    acv_buf_puts(b, "<th scope=\"row\">");
    many_area_name(b, e);
    acv_buf_puts(b, "</th><td>");
    text_or_no_data(b, e->country);
    acv_buf_puts(b, "</td><td class=\"n\">");
    if (e->has_population)
        whole_number(b, e->population);
    else
        no_data(b);
    acv_buf_puts(b, "</td>");
    for (size_t l = 0; l < n_cols; l++) {
        double v;
        int has = acv_compare_many_score(c, a, l, &v);
        acv_buf_puts(b, "<td class=\"n\">");
        many_score(b, has, v);
        acv_buf_puts(b, "</td>");
    }
    acv_buf_puts(b, "</tr>");
}

/* The ranking by the overall score (pillars beside it): the first page as HTML, every row as data
 * for the pager. */
static void ranking_section(acv_buf *b, const acv_compare_many *c)
{
    size_t n_cols = 1 + c->fw->n_pillars;
    const acv_compare_level *overall = &c->levels[0];
    /* ranked first, then the areas without an overall score */
    acv_buf_puts(b, "<section id=\"ranking\"><div class=\"wrap\">\n<h2>Ranking</h2>\n<p "
                    "class=\"lead\">Every compared area by its overall score, with its pillar "
                    "scores; areas without an official overall score come last, unranked. The "
                    "complete table, with the action areas, is in the CSV and JSON formats.</p>\n"
                    "<div class=\"pager\" id=\"rank-pager\" hidden><button type=\"button\" "
                    "id=\"rank-b0\">First</button><button type=\"button\" id=\"rank-b1\">"
                    "Previous</button><button type=\"button\" id=\"rank-b2\">Next</button>"
                    "<button type=\"button\" id=\"rank-b3\">Last</button><label>Find area "
                    "<input type=\"search\" id=\"rank-find\"></label><span id=\"rank-page\">"
                    "</span></div>\n");
    table_open(b, "Ranking");
    acv_buf_puts(b, "<thead><tr><th scope=\"col\" class=\"n\">Rank</th><th scope=\"col\">Area"
                    "</th><th scope=\"col\">Country</th><th scope=\"col\" class=\"n\">"
                    "Population</th>");
    for (size_t l = 0; l < n_cols; l++) {
        acv_buf_puts(b, "<th scope=\"col\" class=\"n\">");
        esc(b, l == 0 ? "Overall" : c->levels[l].code);
        acv_buf_puts(b, "</th>");
    }
    acv_buf_puts(b, "</tr></thead><tbody id=\"rank-body\">");
    size_t shown = 0;
    for (size_t i = 0; i < overall->n_scored && shown < RANK_PAGE_ROWS; i++, shown++)
        rank_html_row(b, c, overall->order[i], n_cols);
    for (size_t a = 0; a < c->n_areas && shown < RANK_PAGE_ROWS; a++)
        if (!c->has[a * c->n_levels]) {
            rank_html_row(b, c, a, n_cols);
            shown++;
        }
    acv_buf_puts(b, "</tbody>");
    table_close(b);
    acv_buf_printf(b,
                   "<noscript><p>The first %zu of %zu areas; the complete ranking is in the "
                   "CSV and JSON formats.</p></noscript>\n",
                   shown, c->n_areas);
    acv_buf_puts(b, "<script type=\"application/json\" id=\"rank-data\">{\"colours\":[");
    for (size_t h = 0; h < ACV_COMPARE_HIGHLIGHT_MAX; h++)
        acv_buf_printf(b, "%s\"%s\"", h ? "," : "", HIGHLIGHT_COLOURS[h]);
    acv_buf_puts(b, "],\"rows\":[\n");
    size_t written = 0;
    for (size_t i = 0; i < overall->n_scored; i++) {
        acv_buf_puts(b, written++ ? ",\n" : "");
        rank_data_row(b, c, overall->order[i], n_cols);
    }
    for (size_t a = 0; a < c->n_areas; a++)
        if (!c->has[a * c->n_levels]) {
            acv_buf_puts(b, written++ ? ",\n" : "");
            rank_data_row(b, c, a, n_cols);
        }
    acv_buf_puts(b, "]}</script>\n<script>");
    acv_buf_puts(b, RANK_SCRIPT);
    acv_buf_puts(b, "</script>\n</div></section>\n");
}

static void many_stamp_line(acv_buf *b, const acv_compare_many *c, const char *label,
                            acv_compare_stamp_field f, int code)
{
    const char *values[8];
    size_t counts[8], n = acv_compare_many_distinct(c, f, values, counts, 8), listed = 0;
    acv_buf_puts(b, "<li><b>");
    esc(b, label);
    acv_buf_puts(b, "</b>: ");
    for (size_t i = 0; i < n; i++) {
        acv_buf_puts(b, i ? ", " : "");
        if (!values[i])
            acv_buf_puts(b, "none");
        else if (code)
            acv_buf_printf(b, "<code>%.12s</code>", values[i]);
        else
            esc(b, values[i]);
        acv_buf_printf(b, " (%zu run%s)", counts[i], counts[i] == 1 ? "" : "s");
        listed += counts[i];
    }
    if (listed < c->n_areas)
        acv_buf_printf(b, ", and %zu runs with other values", c->n_areas - listed);
    acv_buf_puts(b, "</li>");
}

acv_status acv_render_compare_many_html(const acv_compare_many *c, acv_buf *b, acv_error *err)
{
    const acv_framework *fw = c->fw;
    char hash[45], title[400];
    sha256_base64(RANK_SCRIPT, hash);
    snprintf(title, sizeof title, "ACV 2045 comparison: %s, %zu areas", c->group, c->n_areas);
    page_open_with(b, title, hash, MANY_CSS);
    acv_buf_puts(b, "<header class=\"mast\"><div class=\"wrap\">\n<p class=\"kicker\">ASEAN "
                    "Community Vision 2045 · Comparison of areas</p>\n<h1>");
    esc(b, c->group);
    acv_buf_printf(b, ", %zu areas</h1>\n<p class=\"sub\">", c->n_areas);
    if (c->year)
        acv_buf_printf(b, "Results for %d", c->year);
    else
        acv_buf_puts(b, "Each area's latest scoring run");
    acv_buf_puts(b, " · official overall, pillar and action-area scores (0-100)");
    if (c->n_skipped)
        acv_buf_printf(b, " · %zu areas without a run, listed at the end", c->n_skipped);
    acv_buf_puts(b, "</p>\n</div></header>\n<main>\n<section id=\"distribution\"><div "
                    "class=\"wrap\">\n<h2>Distribution of scores</h2>\n<p class=\"lead\">Each "
                    "chart counts the compared areas by score in steps of 5 points (grey), with "
                    "the middle half of them boxed (Q1 to Q3, the line is the median, whiskers "
                    "to the lowest and highest). Quartiles interpolate linearly between the "
                    "scores in order. The triangle is the population-weighted figure. Areas "
                    "without an official score at a level are not counted there.</p>\n");
    acv_buf_puts(b, "<p class=\"legend\">");
    for (size_t h = 0; h < c->n_highlighted; h++) {
        acv_buf_puts(b, "<span>");
        many_area_name(b, &c->areas[c->highlighted[h]]);
        acv_buf_puts(b, "</span>");
    }
    acv_buf_puts(b, "<span><span class=\"sw grey\">&nbsp;</span>");
    acv_buf_puts(b, c->n_highlighted ? "all other areas"
                                     : "all areas (highlight some with "
                                       "--highlight)");
    acv_buf_puts(b, "</span></p>\n");
    for (size_t l = 0; l <= fw->n_pillars; l++)
        level_block(b, c, l);
    acv_buf_printf(b, "<details class=\"aas\"><summary>The %zu action areas</summary>\n",
                   fw->n_action_areas);
    for (size_t l = 1 + fw->n_pillars; l < c->n_levels; l++)
        level_block(b, c, l);
    acv_buf_puts(b, "</details>\n</div></section>\n");
    ranking_section(b, c);
    acv_buf_puts(b, "<section id=\"runs\"><div class=\"wrap\">\n<h2>Runs compared</h2>\n");
    if (c->n_skipped) {
        acv_buf_puts(b, "<p><b>Not compared</b> (no scoring run):</p><ul class=\"inline\">");
        acv_buf_items(b, c->skipped, c->n_skipped, NULL, "<li>", "</li>", esc);
        acv_buf_puts(b, "</ul>\n");
    }
    const char *first, *last;
    acv_compare_many_run_times(c, &first, &last);
    acv_buf_printf(b, "<p>%zu runs, scored from ", c->n_areas);
    esc(b, first ? first : "?");
    acv_buf_puts(b, " to ");
    esc(b, last ? last : "?");
    acv_buf_puts(b, ". Each area's run id and data hash are in the CSV and JSON formats.</p><ul>");
    many_stamp_line(b, c, "acvtrack", ACV_STAMP_ENGINE, 0);
    many_stamp_line(b, c, "framework", ACV_STAMP_FRAMEWORK, 1);
    many_stamp_line(b, c, "methods", ACV_STAMP_METHODS, 1);
    many_stamp_line(b, c, "city overlay", ACV_STAMP_OVERLAY, 0);
    acv_buf_puts(b, "</ul>\n</div></section>\n</main>\n<footer><div class=\"wrap\">Made with "
                    "acvtrack from the stored scoring runs listed above; the names shown are the "
                    "current framework's.</div></footer>\n");
    return page_close(b, "comparison", err);
}
