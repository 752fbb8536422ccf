--- vlr: a Voluntary Local Review draft in Markdown (and HTML with --opt html=yes).
--
--   acvtrack export --format vlr --area demo_capital_metro -o vlr.md
--
-- Follows the section structure that UCLG/UN-Habitat and UN DESA describe for VLRs (opening
-- statement, highlights, introduction, methodology, policy and enabling environment, progress on
-- goals and targets, new challenges, means of implementation, next steps, annexes; see
-- docs/plugins.md for the sources and how sure they are). What the workspace knows is filled in:
-- * the progress on goals and targets, goal by SDG goal, from the framework's SDG links, the
--   latest scoring run (acv.results) and the observations;
-- * the ACV 2045 view by pillar and action area, and the priority action areas;
-- * the statistical annex: every framework indicator with baseline, latest value, 2030 target,
--   score and progress;
-- Narrative sections are left as marked placeholders: every line the city must write starts with
-- "> **[PLACEHOLDER]**", so a search finds what is left to do.
local GOALS = {
  "No poverty", "Zero hunger", "Good health and well-being", "Quality education",
  "Gender equality", "Clean water and sanitation", "Affordable and clean energy",
  "Decent work and economic growth", "Industry, innovation and infrastructure",
  "Reduced inequalities", "Sustainable cities and communities",
  "Responsible consumption and production", "Climate action", "Life below water",
  "Life on land", "Peace, justice and strong institutions", "Partnerships for the goals",
}

local function num(v)
  if v == nil then
    return "—"
  end
  if v == math.floor(v) and math.abs(v) < 1e15 then
    return string.format("%d", v)
  end
  local s = string.format("%.3f", v):gsub("0+$", ""):gsub("%.$", "")
  return s
end

local function score(v)
  return v and string.format("%.1f", v) or "—"
end

-- Text from the workspace or the framework as Markdown that stays text: no raw HTML (& and <
-- as entities) and no link or image (a backslash before [, ], ! and the backslash itself).
local function md(s)
  return (tostring(s or ""):gsub("[\\%[%]!]", "\\%0"):gsub("&", "&amp;"):gsub("<", "&lt;"))
end

local function cell(s)
  return (md(s):gsub("|", "\\|"):gsub("\n", " "))
end

local function placeholder(lines, text)
  lines[#lines + 1] = "> **[PLACEHOLDER]** " .. text
  lines[#lines + 1] = ""
end

-- A small Markdown → HTML conversion of what this plugin writes (headings, tables, block quotes,
-- lists, paragraphs, **bold**); not a general Markdown renderer.
local function html_escape(s)
  return (s:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

-- Markdown text back to plain text before it is escaped for HTML: the escapes md() adds undone
-- (backslashes first, then the two entities, so a typed "&lt;" stays as typed).
local function md_plain(s)
  return (s:gsub("\\([\\%[%]!])", "%1"):gsub("&(%a+);", { lt = "<", amp = "&" }))
end

local function inline(s)
  return (html_escape(md_plain(s)):gsub("%*%*(.-)%*%*", "<strong>%1</strong>"):gsub("`(.-)`", "<code>%1</code>"))
end

local function to_html(markdown, title)
  local out = { "<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
                "<title>" .. html_escape(title) .. "</title>",
                "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
                .. "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .4em}"
                .. "blockquote{background:#fff6d5;margin:0;padding:.3em .8em}</style>",
                "</head>", "<body>" }
  local in_table, in_list, para = false, false, {}
  local function flush()
    if #para > 0 then
      out[#out + 1] = "<p>" .. inline(table.concat(para, " ")) .. "</p>"
      para = {}
    end
    if in_table then
      out[#out + 1] = "</table>"
      in_table = false
    end
    if in_list then
      out[#out + 1] = "</ul>"
      in_list = false
    end
  end
  for line in (markdown .. "\n"):gmatch("(.-)\n") do
    local hashes, heading = line:match("^(#+) (.*)$")
    if hashes then
      flush()
      out[#out + 1] = string.format("<h%d>%s</h%d>", #hashes, inline(heading), #hashes)
    elseif line:match("^<!%-%-") then
      flush()
      out[#out + 1] = line
    elseif line:match("^|") then
      if #para > 0 or in_list then
        flush()
      end
      if not line:match("^|[%s%-:|]*%-[%s%-:|]*|$") then
        -- cells between unescaped pipes; "\|" is a pipe inside a cell
        local cells, current, i, body = {}, {}, 1, line:sub(2)
        while i <= #body do
          local ch = body:sub(i, i)
          if ch == "\\" and body:sub(i + 1, i + 1) == "|" then
            current[#current + 1] = "|"
            i = i + 2
          elseif ch == "|" then
            cells[#cells + 1] = table.concat(current)
            current = {}
            i = i + 1
          else
            current[#current + 1] = ch
            i = i + 1
          end
        end
        local tag = in_table and "td" or "th"
        if not in_table then
          out[#out + 1] = "<table>"
          in_table = true
        end
        local row = {}
        for _, c in ipairs(cells) do
          row[#row + 1] = "<" .. tag .. ">" .. inline((c:gsub("^%s+", ""):gsub("%s+$", ""))) .. "</" .. tag .. ">"
        end
        out[#out + 1] = "<tr>" .. table.concat(row) .. "</tr>"
      end
    elseif line:match("^> ") then
      flush()
      out[#out + 1] = "<blockquote>" .. inline(line:sub(3)) .. "</blockquote>"
    elseif line:match("^%- ") then
      if #para > 0 or in_table then
        flush()
      end
      if not in_list then
        out[#out + 1] = "<ul>"
        in_list = true
      end
      out[#out + 1] = "<li>" .. inline(line:sub(3)) .. "</li>"
    elseif line == "" then
      flush()
    else
      if in_table or in_list then
        flush()
      end
      para[#para + 1] = line
    end
  end
  flush()
  out[#out + 1] = "</body>"
  out[#out + 1] = "</html>"
  return table.concat(out, "\n") .. "\n"
end

---@type acv.Plugin
return {
  api = 1,
  name = "vlr",
  version = "1.0.0",
  kind = "exporter",
  description = "Voluntary Local Review draft (Markdown; HTML with --opt html=yes)",
  options = {
    { name = "area", help = "area code (required; --area sets it)" },
    { name = "year", help = "year of the scoring run (default: the latest)" },
    { name = "html", help = "yes: also write vlr.html (then give -o FOLDER)" },
  },

  export = function(ctx)
    local acv, opt = ctx.acv, ctx.options
    local area = opt.area
    if not area then
      error("give the area: --area CODE", 0)
    end
    local fw = acv.framework
    local res = acv.results(area, tonumber(opt.year))
    local a = res.area

    -- observations: baseline (earliest) and latest per code; other data series counted
    local first, latest, series_codes, n_series = {}, {}, {}, 0
    for _, o in ipairs(acv.observations({ area = area })) do
      if not first[o.indicator] then
        first[o.indicator] = o
      end
      latest[o.indicator] = o
      if o.indicator:match("^SDG:") and not series_codes[o.indicator] then
        series_codes[o.indicator] = true
        n_series = n_series + 1
      end
    end

    local by_id, pillar_name, area_name = {}, {}, {}
    for _, p in ipairs(fw.pillars) do
      pillar_name[p.id] = p.name
    end
    for _, aa in ipairs(fw.action_areas) do
      area_name[aa.id] = aa.name
    end
    for _, ind in ipairs(fw.indicators) do
      by_id[ind.id] = ind
    end

    local L = {}
    local function w(s)
      L[#L + 1] = s or ""
    end
    local function target_text(ind)
      local t = ind.targets[2030]
      return t and t.text or "—"
    end
    local function progress(r)
      if r.class_label then
        return (r.symbol and r.symbol ~= "" and (r.symbol .. " ") or "") .. r.class_label
      end
      return r.note or (r.value and "not scored" or "no data")
    end

    w("# Voluntary Local Review " .. res.run.year .. ": " .. md(a.name))
    w()
    w("*Draft generated by acvtrack from the workspace data. Sections marked **[PLACEHOLDER]** "
      .. "are for the city to write; tables and figures come from the latest scoring run.*")
    w()
    w(string.format("<!-- acvtrack run %d of %s; engine %s; framework %s; data %s; methods %s -->",
      res.run.id, res.run.created_at or "", res.run.engine_version or "",
      res.run.framework_hash or "", res.run.data_hash or "", res.run.methods_hash or ""))
    w()
    w("| | |")
    w("|---|---|")
    w("| Local government | " .. cell(a.name) .. " (`" .. a.code .. "`) |")
    w("| Level, country | " .. cell(a.level or "—") .. ", " .. cell(a.country or "—") .. " |")
    if a.population then
      local digits = num(a.population)
      local grouped = digits:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
      w("| Population | " .. grouped .. " |")
    end
    w("| Review year | " .. res.run.year .. " |")
    w("| Indicator framework | " .. cell(fw.name) .. " (" .. fw.id .. " " .. fw.version .. ") |")
    w()

    w("## 1. Opening statement")
    w()
    placeholder(L, "Statement by the mayor or governor: political commitment to the 2030 Agenda "
      .. "and the ASEAN Community Vision 2045, and why the city prepared this review.")

    w("## 2. Highlights")
    w()
    local scored, total, on_track = 0, 0, 0
    for _, ind in ipairs(fw.indicators) do
      local r = res.indicators[ind.id]
      total = total + 1
      if r.score then
        scored = scored + 1
      end
      if r.class == "on_track" or r.class == "target_achieved" then
        on_track = on_track + 1
      end
    end
    w(string.format("- Overall ACV 2045 score: **%s** out of 100 (%d of %d indicators scored).",
      score(res.overall.score), scored, total))
    w(string.format("- Indicators on track or with the target achieved: %d.", on_track))
    if #res.priorities > 0 then
      local names = {}
      for i = 1, math.min(3, #res.priorities) do
        local p = res.priorities[i]
        names[#names + 1] = p.action_area .. " " .. md(area_name[p.action_area])
      end
      w("- First priority action areas: " .. table.concat(names, "; ") .. ".")
    end
    w()
    placeholder(L, "Key messages of the review in one or two pages: achievements, challenges, "
      .. "commitments.")

    w("## 3. Introduction")
    w()
    placeholder(L, "City profile and context: demography, economy, administrative status and "
      .. "competences; link to the national VNR and to the city's vision and plans.")

    w("## 4. Methodology and process of preparation")
    w()
    w("The indicators, targets and scores come from acvtrack: the " .. md(fw.name) .. " ("
      .. #fw.indicators .. " indicators in " .. #fw.action_areas .. " action areas and "
      .. #fw.pillars .. " pillars), each linked to the SDG indicators it measures or approximates. "
      .. "Scores run from 0 to 100 against the framework's goalposts; progress classes compare the "
      .. "trend with what the 2030 target requires (acvtrack docs/methodology.md).")
    w()
    placeholder(L, "Governance of the review (lead unit, inter-departmental team), scope, data "
      .. "sources and their quality, stakeholder engagement (civil society, private sector, "
      .. "academia, youth, vulnerable groups), alignment with the national review.")

    w("## 5. Policy and enabling environment")
    w()
    for _, sub in ipairs({
      "(a) Ownership of the SDGs and of this review",
      "(b) Incorporation of the SDGs into local plans, budgets and frameworks",
      "(c) Integration of the economic, social and environmental dimensions",
      "(d) Leaving no one behind",
      "(e) Institutional mechanisms and multilevel governance",
      "(f) Structural issues" }) do
      w("### " .. sub)
      w()
      placeholder(L, "To be written.")
    end

    w("## 6. Progress on goals and targets")
    w()
    w("Each framework indicator appears under every SDG goal it is linked to. Latest values are "
      .. "those the scoring run used; the 2030 targets are the framework's.")
    w()
    local goals = {}
    for _, ind in ipairs(fw.indicators) do
      local seen = {}
      for _, s in ipairs(ind.sdg) do
        local g = tonumber(s:match("^(%d+)%."))
        if g and not seen[g] then
          seen[g] = true
          goals[g] = goals[g] or {}
          table.insert(goals[g], { ind = ind, sdg = s })
        end
      end
    end
    for g = 1, 17 do
      local list = goals[g]
      if list then
        local with_data, sum, n_scored = 0, 0, 0
        for _, e in ipairs(list) do
          local r = res.indicators[e.ind.id]
          if r.value then
            with_data = with_data + 1
          end
          if r.score then
            sum, n_scored = sum + r.score, n_scored + 1
          end
        end
        w(string.format("### SDG %d: %s", g, GOALS[g]))
        w()
        w(string.format("%d linked indicator%s, %d with data; mean score %s.", #list,
          #list == 1 and "" or "s", with_data, n_scored > 0 and score(sum / n_scored) or "—"))
        w()
        w("| Indicator | SDG | Latest (year) | 2030 target | Score | Progress |")
        w("|---|---|---:|---|---:|---|")
        for _, e in ipairs(list) do
          local r = res.indicators[e.ind.id]
          w(string.format("| %s %s | %s | %s | %s | %s | %s |", e.ind.id, cell(e.ind.name), e.sdg,
            r.value and (num(r.value) .. " (" .. (r.period or "?") .. ")") or "—",
            cell(target_text(e.ind)), score(r.score), cell(progress(r))))
        end
        w()
        placeholder(L, "Analysis of SDG " .. g .. ": trends, good practices and challenges.")
      end
    end
    w("### ACV 2045 pillars and action areas")
    w()
    w("| Pillar / action area | Score | Indicators scored |")
    w("|---|---:|---:|")
    for _, p in ipairs(fw.pillars) do
      local r = res.pillars[p.id]
      w(string.format("| **%s %s** | %s | |", p.id, cell(p.name), score(r.score)))
      for _, aa in ipairs(fw.action_areas) do
        if aa.pillar == p.id then
          local ra = res.action_areas[aa.id]
          w(string.format("| %s %s | %s | %s of %s |", aa.id, cell(aa.name), score(ra.score),
            ra.n_scored or 0, ra.n_total or 0))
        end
      end
    end
    w()

    w("## 7. New and emerging challenges")
    w()
    placeholder(L, "Challenges that appeared since the last review (for example climate "
      .. "hazards, economic shocks, demographic change).")

    w("## 8. Means of implementation")
    w()
    local fin = {}
    for _, ind in ipairs(fw.indicators) do
      if ind.action_area == "EC.FIN" then
        local r = res.indicators[ind.id]
        fin[#fin + 1] = string.format("- %s %s: %s", ind.id, md(ind.name),
          r.value and (num(r.value) .. " " .. md(ind.unit) .. " (" .. r.period .. ")") or "no data")
      end
    end
    if #fin > 0 then
      w("Local finance indicators from the workspace:")
      w()
      for _, line in ipairs(fin) do
        w(line)
      end
      w()
    end
    placeholder(L, "Local finance (own revenues, transfers, SDG budget tagging), capacity, data "
      .. "systems, partnerships and decentralised cooperation.")

    w("## 9. Next steps and conclusion")
    w()
    if #res.priorities > 0 then
      w("Priority action areas from the scoring run:")
      w()
      for i, p in ipairs(res.priorities) do
        if i > 5 then
          break
        end
        w(string.format("%d. %s %s (priority %s)", i, p.action_area,
          area_name[p.action_area] or "", score(p.priority)))
      end
      w()
    end
    placeholder(L, "Lessons, commitments, and the follow-up cycle (the next review).")

    w("## Annex A. Statistical annex")
    w()
    w("Every indicator of the framework. Baseline: the earliest stored value; latest: the value the "
      .. "scoring run used.")
    w()
    w("| ID | Indicator | Unit | SDG | Baseline (year) | Latest (year) | 2030 target | Score | Progress |")
    w("|---|---|---|---|---:|---:|---|---:|---|")
    for _, ind in ipairs(fw.indicators) do
      local r = res.indicators[ind.id]
      local b = first[ind.id]
      w(string.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s |", ind.id, cell(ind.name),
        cell(ind.unit), table.concat(ind.sdg, ", "),
        b and (num(b.value) .. " (" .. b.period .. ")") or "—",
        r.value and (num(r.value) .. " (" .. (r.period or "?") .. ")") or "—",
        cell(target_text(ind)), score(r.score), cell(progress(r))))
    end
    w()
    if n_series > 0 then
      w(string.format("The workspace also holds %d imported SDG data series for this area "
        .. "(codes starting with `SDG:`).", n_series))
      w()
    end
    w("## Annex B. Stakeholders consulted")
    w()
    placeholder(L, "List of the organisations and groups consulted, and how.")
    w("## Annex C. Methodology notes")
    w()
    w("Scoring method hash and data hash are recorded with the run (see the comment at the top of "
      .. "this document); `acvtrack report --area " .. a.code .. "` gives the full indicator "
      .. "report, with each value's provenance.")

    local markdown = table.concat(L, "\n") .. "\n"
    ctx.out:file("vlr.md"):write(markdown)
    if opt.html == "yes" then
      ctx.out:file("vlr.html"):write(to_html(markdown, "Voluntary Local Review: " .. a.name))
    end
  end,
}
