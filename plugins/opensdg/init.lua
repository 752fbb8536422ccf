--- opensdg: imports an Open SDG data repository (data/*.csv and meta/*.md or meta/*.yml).
--
--   acvtrack import --format opensdg --opt area=ES-BCN --opt area_name=Barcelona \
--       --opt country=ES tests/data/opensdg-barcelona
--
-- What it reads (the Open SDG data format, docs/plugins.md "The bundled plugins"):
-- * data files: data/indicator_<id>.csv or data/<id>.csv with a "-" in <id> (sdg-build reads
--   data/*-*.csv), directly in data/ (copies in subfolders are not read); the first column is
--   Year, the last named one Value (empty columns after it are allowed), the ones between are
--   disaggregation columns, except Units and Series (which choose the series) and observation
--   attributes (COMMENT_OBS becomes the comment). A blank cell means "total": the row whose
--   disaggregation cells are all blank is the headline.
-- * metadata: meta/<id>.md (YAML front matter) or meta/<id>.yml: indicator_name, computation_units,
--   source_organisation_1, graph_target_lines, and acvtrack_code (written by opensdg-export).
--
-- Where each row goes, for any id (11-6-2, 8-3-1-1, 5-5-2a):
-- * the indicator number is the metadata's indicator_number, else the id with dashes as dots;
-- * the code: a framework indicator id (or acvtrack_code) imports as that indicator; an SDG
--   number (goal.target.indicator) as the data series "SDG:<number>" (framework indicators linked
--   to that SDG indicator use it when they have no data of their own); any other number or
--   acvtrack_code as a data series of that code;
-- * a row in another unit or series than the file's first row adds "|Units=..." or
--   "|Series=..." to the code (helpers/sdg.lua: bounded, a readable prefix and a hash when long);
--   the unit is the series' unit; the series' name ends with the row's Series label (the first
--   series' too, which the code leaves out): "Name (Units: Number; Series: ...)", which
--   opensdg-export reads back;
-- * the disaggregation columns' non-blank cells are the observation's disaggregation (every
--   label kept in full).
-- Years: "2019"; a range "2016-2017" or "01/01/2020-31/12/2020" is stored under the year it ends
-- in (--opt ranges=start for the first year, ranges=skip to leave such rows out), and the
-- original period goes into the comment.
-- 2030 targets (graph_target_lines) cannot be stored per area by the engine yet: each target is
-- reported, and written into the comment of every observation of the series it belongs to.
--
-- Nothing is dropped silently: every numeric row is imported or skipped with its file, line and
-- reason (out:skip: the import lists them, --rejects writes them all, with their series code
-- and disaggregation). A last line without a newline is read when its value's end is marked
-- (cells after it, a closing quote, a "\r") or when no data file of the repository ends with a
-- newline; otherwise its value may have been cut by a truncated download and the row is skipped
-- (docs/plugins.md "Damaged files"). A file that is not valid CSV has each of its numeric rows
-- skipped. Comments (a range's original period, COMMENT_OBS, 2030 targets) are not repeated
-- when COMMENT_OBS already holds them, so opensdg-export's repositories read back unchanged. The last line says "opensdg: numeric rows N = imported A + skipped S";
-- the one before counts the rows marked not available ("..", "-") by marker.
local sdg = require("helpers.sdg")

local UNIT_COLUMNS = sdg.UNIT_COLUMNS
local SERIES_COLUMNS = sdg.SERIES_COLUMNS
local ATTRIBUTE_COLUMNS = {
  ["Observation status"] = true, ["Unit multiplier"] = true, ["COMMENT_TS"] = true,
  ["COMMENT_OBS"] = true, ["DATA_LAST_UPDATE"] = true, ["Progress"] = true,
}
local MAX_REPORT_LINES = 900 -- the sandbox prints at most 1,000 lines per command

local function trim(s)
  return (s:gsub("^[%s]+", ""):gsub("[%s]+$", ""))
end

-- A text cell trimmed, without the "'" that CSV writers (opensdg-export's included) put before
-- a leading =, +, -, @ against spreadsheet formulas: "'-5 %" is "-5 %".
local function text_cell(s)
  s = trim(s or "")
  if s:match("^'[=+%-@]") then
    return s:sub(2)
  end
  return s
end

-- A decimal number as imports accept it: no hex, inf, nan or thousands separators.
local function is_number(s)
  return s:match("^[-+]?%d+%.?%d*$") ~= nil or s:match("^[-+]?%d*%.%d+$") ~= nil
      or s:match("^[-+]?%d+%.?%d*[eE][-+]?%d+$") ~= nil
      or s:match("^[-+]?%d*%.%d+[eE][-+]?%d+$") ~= nil
end

-- The year of a period cell, and the original text when it was a range; nil and why otherwise.
local function period_of(text, ranges)
  if text:match("^%d%d%d%d$") then
    local y = tonumber(text)
    if y < 1900 or y > 2100 then
      return nil, "year " .. text .. " is outside 1900-2100"
    end
    return text
  end
  local first, last = text:match("^(%d%d%d%d)%s*[-/]%s*(%d%d%d?%d?)$")
  if not first then
    first, last = text:match("^%d%d?/%d%d?/(%d%d%d%d)%s*%-%s*%d%d?/%d%d?/(%d%d%d%d)$")
  end
  if not first then
    return nil, "period '" .. text .. "' is not a year"
  end
  if #last == 2 then
    last = first:sub(1, 2) .. last
  end
  if ranges == "skip" then
    return nil, "period '" .. text .. "' is a range (--opt ranges=skip)"
  end
  local year = ranges == "start" and first or last
  local y = tonumber(year)
  if y < 1900 or y > 2100 then
    return nil, "period '" .. text .. "' is outside 1900-2100"
  end
  return year, text
end

local function basename(name)
  return name:match("([^/]+)$") or name
end

local function parent(name)
  return name:match("([^/]+)/[^/]+$")
end

-- Open SDG id of a data file name, or nil when Open SDG would not read it as one: a file
-- data/indicator_<id>.csv or data/<id>.csv with a "-" in <id> (sdg-build reads data/*-*.csv),
-- directly in data/ (or in a folder given that is not inside a data/ folder); a copy in a
-- subfolder of data/ (data/indicator_1-1-1/indicator_1-1-1.csv) is not read.
local function data_id(name)
  local parts = {}
  for part in name:gmatch("[^/]+") do
    parts[#parts + 1] = part
  end
  local base, dir = parts[#parts], parts[#parts - 1]
  if dir == "meta" or dir == "indicator-config" then
    return nil
  end
  for i = 1, #parts - 2 do
    if parts[i] == "data" and dir ~= "data" then
      return nil
    end
  end
  local id = base:match("^indicator_(.+)%.csv$")
  if id then
    return id
  end
  id = base:match("^(.+)%.csv$")
  if id and id:find("-", 1, true) then
    return id
  end
  return nil
end

-- The column of the values: the one named Value, else the last named one.
local function value_column(header)
  local last
  for i = 1, #header do
    local h = trim(header[i])
    if h == "Value" then
      return i
    end
    if h ~= "" then
      last = i
    end
  end
  return last
end

-- The trimmed value cell of a row (column col, or the last non-empty cell when col is nil).
local function value_cell(row, col)
  if col then
    return trim(row[col] or "")
  end
  for i = #row, 1, -1 do
    local v = trim(row[i] or "")
    if v ~= "" then
      return v
    end
  end
  return ""
end

-- A file the strict reader refuses (a quote left open by a truncation), read leniently so its
-- rows can be counted: one row per non-blank line, cells split at commas outside quotes.
local function lenient_rows(text)
  local rows, n = {}, 0
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    line = line:gsub("\r$", "")
    if line:match("%S") then
      local cells, cell, quoted = {}, {}, false
      for ch in line:gmatch(".") do
        if ch == '"' then
          quoted = not quoted
        elseif ch == "," and not quoted then
          cells[#cells + 1] = table.concat(cell)
          cell = {}
        else
          cell[#cell + 1] = ch
        end
      end
      cells[#cells + 1] = table.concat(cell)
      cells.line = n
      rows[#rows + 1] = cells
    end
  end
  return rows
end

-- Metadata of one file: the YAML front matter of .md, or the whole .yml.
local function read_meta(acv, input)
  local text = input.text:gsub("^\239\187\191", "")
  if input.name:match("%.md$") then
    local front = text:match("^%-%-%-[ \t]*\r?\n(.-\n)%-%-%-[ \t]*\r?\n") or text:match("^%-%-%-[ \t]*\r?\n(.-\n)%-%-%-[ \t]*$")
    if not front then
      return nil, "no YAML front matter between '---' lines"
    end
    text = front
  end
  local ok, doc = pcall(acv.parse_yaml, text, input.name)
  if not ok then
    return nil, tostring(doc)
  end
  if type(doc) ~= "table" then
    return nil, "the metadata is not a mapping"
  end
  return doc
end

local function str(v)
  if type(v) == "string" then
    v = trim(v)
    if v ~= "" and v ~= "null" and v ~= "~" then
      return v
    end
  end
  return nil
end

-- graph_target_lines as a list of {value =, label =, unit =, series =}.
local function target_lines(meta)
  local out = {}
  local lines = meta and meta.graph_target_lines
  if type(lines) ~= "table" then
    return out
  end
  for _, t in ipairs(lines) do
    if type(t) == "table" and str(t.value) and is_number(str(t.value)) then
      out[#out + 1] = { value = str(t.value), label = str(t.label_content), unit = str(t.unit),
                        series = str(t.series) }
    end
  end
  return out
end

---@type acv.Plugin
return {
  api = 1,
  name = "opensdg",
  version = "1.1.0",
  kind = "importer",
  description = "Open SDG data repository (data/*.csv, meta/*.md) into an area",
  options = {
    { name = "area", help = "area code the data belongs to (required; created when new)" },
    { name = "area_name", help = "name of a new area (default: the code)" },
    { name = "level", help = "level of a new area (default: city)" },
    { name = "country", help = "ISO country code of a new area" },
    { name = "source", help = "source of every observation (default: the metadata's source_organisation_1)" },
    { name = "ranges", help = "year ranges such as 2016-2017: end (default), start or skip" },
  },

  import = function(ctx)
    local acv, out, opt = ctx.acv, ctx.out, ctx.options
    local area = opt.area
    if not area or area == "" then
      error("give the area the data belongs to: --opt area=CODE (for example ES-BCN)", 0)
    end
    local ranges = opt.ranges or "end"
    if ranges ~= "end" and ranges ~= "start" and ranges ~= "skip" then
      error("--opt ranges must be end, start or skip, not '" .. ranges .. "'", 0)
    end
    if not ctx.inputs or #ctx.inputs == 0 then
      error("give the Open SDG repository folder (or its data/ and meta/ folders)", 0)
    end

    -- the area, when new
    local known = false
    for _, a in ipairs(acv.areas()) do
      if a.code == area then
        known = true
      end
    end
    if not known then
      out:area({ code = area, name = opt.area_name or area, level = opt.level or "city",
                 country = opt.country, source = "created by the opensdg importer" })
    end

    local framework = {}
    for _, ind in ipairs(acv.framework.indicators) do
      framework[ind.id] = ind
    end

    -- messages that are not skipped rows (metadata, targets, text values), within the sandbox's
    -- print budget; skipped rows go to the engine (out:skip), which lists them and writes every
    -- one to the --rejects file
    local printed = 0
    local function report(where, message)
      printed = printed + 1
      if printed <= MAX_REPORT_LINES then
        print("opensdg: " .. where .. ": " .. message)
      elseif printed == MAX_REPORT_LINES + 1 then
        print("opensdg: (further messages not listed; see the counts below)")
      end
    end
    local numeric, counts = 0, {}
    local function skip(file, line, reason, why, fields)
      counts[reason] = (counts[reason] or 0) + 1
      local s = { file = file, line = line, reason = why }
      for k, v in pairs(fields or {}) do
        s[k] = v
      end
      out:skip(s)
    end

    -- metadata first, by id
    local metas, n_meta = {}, 0
    for _, input in ipairs(ctx.inputs) do
      local dir, base = parent(input.name), basename(input.name)
      local id = base:match("^(.+)%.md$") or base:match("^(.+)%.ya?ml$")
      if id and (dir == "meta" or dir == "indicator-config") then
        local meta, why = read_meta(acv, input)
        if meta then
          local merged = metas[id] or {}
          for k, v in pairs(meta) do
            merged[k] = v
          end
          metas[id] = merged
          n_meta = n_meta + 1
        else
          report(input.name, "metadata not read: " .. why)
        end
      end
    end

    -- every indicator file read once, before any is imported: whether the others end with a
    -- newline tells a cut download from a repository whose files never end with one
    local parsed, with_newline, without_newline = {}, 0, 0
    for i, input in ipairs(ctx.inputs) do
      if data_id(input.name) then
        local ok, rows = pcall(acv.parse_csv, input.text, input.name)
        parsed[i] = { ok = ok, rows = rows }
        if ok and #input.text > 0 then
          if input.text:match("\n$") then
            with_newline = with_newline + 1
          else
            without_newline = without_newline + 1
          end
        end
      end
    end
    local read_unterminated = 0 -- files whose last line was read although it has no newline

    local imported, blank, files, other_files = 0, 0, 0, 0
    local markers, not_numeric = {}, 0
    local series_seen, targets_total, targets_stored = {}, 0, 0
    local seen = {} -- "code\tdisaggregation\tperiod" -> {file, line, value}

    -- every numeric row of a file that is not imported at all, each with its line
    local function skip_file(input, rows, reason, why)
      for _, row in ipairs(rows) do
        local value = value_cell(row, row.value_col)
        if is_number(value) then
          numeric = numeric + 1
          skip(input.name, row.line, reason, why, { area = area, period = trim(row[1] or ""),
                                                     value = value })
        end
      end
    end

    for index, input in ipairs(ctx.inputs) do
      local id = data_id(input.name)
      if input.name:match("%.csv$") and not id then
        -- not an indicator file: its rows are counted and reported, not imported
        other_files = other_files + 1
        local ok, rows = pcall(acv.parse_csv, input.text, input.name)
        local why = "not an indicator file (Open SDG reads data/indicator_*.csv and data/*-*.csv "
            .. "only); row skipped"
        if not ok then
          why = "not an indicator file, and not read (" .. tostring(rows) .. "); row skipped"
          rows = lenient_rows(input.text)
        end
        local header = table.remove(rows, 1) or {}
        local vcol = value_column(header)
        for _, row in ipairs(rows) do
          row.value_col = vcol
        end
        skip_file(input, rows, "not an indicator file", why)
      elseif id then
        files = files + 1
        local meta = metas[id]
        local number = str(meta and meta.indicator_number) or sdg.number_of(id)
        local code = str(meta and meta.acvtrack_code)
        -- a framework indicator imports as itself; anything else as a data series: SDG numbers
        -- as "SDG:<number>", other ids (8.3.1.1, 5.5.2a, DE.POP) under their own code
        local as_indicator = (code and framework[code] and code) or (framework[number] and number)
        local base = as_indicator or code or (sdg.is_sdg_number(number) and ("SDG:" .. number))
            or number
        local ok, rows = parsed[index].ok, parsed[index].rows
        if not ok then
          -- a malformed CSV (a quote left open by a truncated file): every numeric row is
          -- counted and skipped with its line, found by a lenient reading
          local broken = lenient_rows(input.text)
          report(input.name, "not read (" .. tostring(rows) .. "); every row skipped")
          local header = table.remove(broken, 1) or {}
          local vcol = value_column(header)
          for _, row in ipairs(broken) do
            row.value_col = vcol
          end
          skip_file(input, broken, "file not read",
            "the file is not valid CSV (" .. tostring(rows) .. "); row skipped")
          rows = {}
        end
        local header = rows[1] or {}
        for i = 1, #header do
          header[i] = trim(header[i])
        end
        -- trailing empty columns are legal (Year,Units,GeoCode,Value,,,,): Value is the last
        -- named column, and cells after it must be empty
        local width = #header
        while width > 0 and header[width] == "" do
          width = width - 1
        end
        local header_ok = width >= 2 and header[1] == "Year" and header[width] == "Value"
        if #rows > 0 and not header_ok then
          local vcol = value_column(header)
          local data = {}
          for i = 2, #rows do
            rows[i].value_col = vcol
            data[#data + 1] = rows[i]
          end
          skip_file(input, data, "header is not Year,...,Value", string.format(
            "the header (line %d) must start with Year and end with Value; row skipped",
            header.line or 1))
          rows = {}
        end
        -- the column roles
        local role, comment_col = {}, nil
        for c = 2, width - 1 do
          local h = header[c]
          if UNIT_COLUMNS[h] then
            role[c] = "unit"
          elseif SERIES_COLUMNS[h] then
            role[c] = "series"
          elseif h == "COMMENT_OBS" then
            role[c] = "attribute"
            comment_col = c
          elseif ATTRIBUTE_COLUMNS[h] then
            role[c] = "attribute"
          else
            role[c] = "dimension"
          end
        end
        local function well_formed(row)
          if #row < width then
            return false
          end
          for c = width + 1, #row do
            if trim(row[c]) ~= "" then
              return false
            end
          end
          return true
        end
        local name = str(meta and meta.indicator_name) or str(meta and meta.graph_title)
            or ("SDG " .. number)
        local source = opt.source or str(meta and meta.source_organisation_1) or "Open SDG data"
        local default_unit = str(meta and meta.computation_units)
        -- the first data row's unit and series are the file's own: its rows keep the base code
        -- (so linked framework indicators find "SDG:<number>"), the unit is the series' unit
        local first_unit, first_series
        for r = 2, #rows do
          if well_formed(rows[r]) then
            for c = 2, width - 1 do
              if role[c] == "unit" then
                first_unit = text_cell(rows[r][c])
              elseif role[c] == "series" then
                first_series = text_cell(rows[r][c])
              end
            end
            break
          end
        end
        -- a file whose last line has no newline may have been cut inside its last value
        local last_text = input.text:match("([^\n]*)$")
        local unterminated = last_text:match("%S") ~= nil
        local function last_value_cut(row, value)
          -- the value's end is marked (cells after it, a closing quote, or the "\r" of a CRLF
          -- line that lost only its "\n"): it is whole
          if #row > width or last_text:match('"%s*$') or last_text:match("\r$") then
            return nil
          end
          local others = with_newline
          if others == 0 and without_newline > 1 then
            -- no data file of this repository ends with a newline: that is how it writes them
            read_unterminated = read_unterminated + 1
            return nil
          end
          if others > 0 then
            return string.format("the file ends inside this line without a newline while %d "
              .. "other data file%s of the repository end%s with one (a cut download?): the "
              .. "value '%s' may have been cut", others, others == 1 and "" or "s",
              others == 1 and "s" or "", value)
          end
          return "the file ends inside this line without a newline and no other data file shows "
              .. "whether this repository ends its files with one: the value '" .. value
              .. "' may have been cut"
        end
        local targets = target_lines(meta)
        targets_total = targets_total + #targets
        local rows_of = {} -- code -> list of pending observations (comments added at the end)
        local series_label_told = false
        local order = {}

        for r = 2, #rows do
          local row = rows[r]
          local where = input.name .. ":" .. row.line
          local period_text = trim(row[1] or "")
          if not well_formed(row) then
            local value = value_cell(row, #row >= width and width or nil)
            if is_number(value) then
              numeric = numeric + 1
              skip(input.name, row.line, "wrong number of cells", string.format(
                "%d cells where the header has %d; row skipped", #row, width),
                { area = area, indicator = base, period = period_text, value = value })
            else
              report(where, string.format("%d cells where the header has %d; row ignored (no "
                .. "numeric value)", #row, width))
            end
          else
            local value = trim(row[width])
            if value == "" then
              blank = blank + 1 -- no data: Open SDG's blank value
            elseif not is_number(value) then
              if value == ".." or value == "-" or value == "..." or value == "x" then
                markers[value] = (markers[value] or 0) + 1
              else
                not_numeric = not_numeric + 1
              end
              report(where, "value '" .. value .. "' is not a number; row ignored (no numeric value)")
            else
              numeric = numeric + 1
              local period, range = period_of(period_text, ranges)
              local quals, dims, labels, unit = {}, {}, {}, nil
              local dim_problem, series_label
              for c = 2, width - 1 do
                local cell = text_cell(row[c])
                if role[c] == "unit" then
                  unit = cell ~= "" and cell or nil
                  if cell ~= (first_unit or "") then
                    quals[#quals + 1] = { header[c], cell }
                  end
                elseif role[c] == "series" then
                  if cell ~= "" then
                    series_label = { header[c], cell }
                  end
                  if cell ~= (first_series or "") then
                    quals[#quals + 1] = { header[c], cell }
                  end
                elseif role[c] == "dimension" and cell ~= "" then
                  if header[c] == "" or header[c]:find("[=;]") or cell:find(";", 1, true) then
                    dim_problem = "column '" .. header[c] .. "' value '" .. cell .. "'"
                  end
                  dims[header[c]] = cell
                  labels[#labels + 1] = header[c] .. "=" .. cell
                end
              end
              table.sort(labels)
              local dim_key = table.concat(labels, ";")
              local target_code, why, reason
              local row_code = sdg.make_code(base, quals)
              if not period then
                why, reason = range, "period not a year"
              elseif dim_problem then
                why = "the disaggregation " .. dim_problem .. " has a ';' (or a '=' in the "
                    .. "column name), which the workspace cannot store"
                reason = "disaggregation not storable"
              elseif #dim_key > 1000 then
                why = "the disaggregation labels are longer than 1000 characters together"
                reason = "disaggregation not storable"
              else
                local cut_why = unterminated and r == #rows and last_value_cut(row, value)
                if cut_why then
                  why, reason = cut_why, "last line without a newline"
                else
                  target_code = row_code
                end
              end
              if target_code then
                local key = target_code .. "\t" .. dim_key .. "\t" .. period
                local previous = seen[key]
                if previous then
                  local at = previous.file == input.name and ("line " .. previous.line)
                      or (previous.file .. ":" .. previous.line)
                  target_code = nil
                  if tonumber(previous.value) == tonumber(value) then
                    why = "repeats " .. at .. " (same series, disaggregation and year, same value)"
                    reason = "duplicate row"
                  else
                    reason = "conflicting row"
                    why = "conflicts with " .. at .. " (same series, disaggregation and year "
                        .. period .. ", value " .. previous.value .. ")"
                  end
                else
                  seen[key] = { file = input.name, line = row.line, value = value }
                end
              end
              if not target_code then
                -- the rejects file gets the row as it would be imported: its series code and
                -- disaggregation, so a corrected row imports where it belongs
                skip(input.name, row.line, reason, why .. "; row skipped",
                  { area = area, indicator = row_code, period = period_text, value = value,
                    disaggregation = not dim_problem and next(dims) and dims or nil })
              else
                imported = imported + 1
                if not framework[target_code] and not series_seen[target_code] then
                  series_seen[target_code] = true
                  -- the name says the unit when it is not the file's first and, last, the
                  -- series label (the first series' too, which is not in the code):
                  -- "Name (Units: Percent; Series: Proportion of ...)"; opensdg-export reads
                  -- the label back from there
                  local sname = name
                  local extra = {}
                  for _, q in ipairs(quals) do
                    if not SERIES_COLUMNS[q[1]] then
                      extra[#extra + 1] = q[1] .. ": " .. q[2]
                    end
                  end
                  if series_label then
                    extra[#extra + 1] = series_label[1] .. ": " .. series_label[2]
                  end
                  if #extra > 0 then
                    sname = sname .. " (" .. table.concat(extra, "; ") .. ")"
                  end
                  out:series({ code = target_code, name = sname, unit = unit or default_unit })
                end
                if not rows_of[target_code] then
                  rows_of[target_code] = { unit = unit, headline = false }
                  order[#order + 1] = target_code
                  if framework[target_code] and series_label and not series_label_told then
                    series_label_told = true
                    report(input.name, "the series label '" .. series_label[2] .. "' of the "
                      .. "framework indicator " .. target_code .. " is not stored (a framework "
                      .. "indicator has its own name)")
                  end
                end
                if dim_key == "" then
                  rows_of[target_code].headline = true
                end
                local obs = { area = area, indicator = target_code, period = period, value = value,
                              source = source, file = input.name, line = row.line,
                              disaggregation = next(dims) and dims or nil }
                -- the comment: the original period of a range, the row's COMMENT_OBS, the 2030
                -- targets (added below); a note the COMMENT_OBS already holds (a repository
                -- written by opensdg-export keeps the whole comment there) is not added again
                local notes = {}
                local own = comment_col and text_cell(row[comment_col]) or ""
                local range_note = range and ("period " .. range .. " in the source")
                if range_note and not own:find(range_note, 1, true) then
                  notes[#notes + 1] = range_note
                end
                if own ~= "" then
                  notes[#notes + 1] = own
                end
                obs.notes = notes
                table.insert(rows_of[target_code], obs)
              end
            end
          end
        end

        -- a target goes with the headline series of its unit (the file's first unit when it
        -- names none, or one without rows); without a headline in that unit, with every series
        -- of the unit
        local function groups_for(unit)
          local heads, all = {}, {}
          for _, c in ipairs(order) do
            local g = rows_of[c]
            if (g.unit or "") == (unit or "") then
              all[#all + 1] = g
              if g.headline then
                heads[#heads + 1] = g
              end
            end
          end
          return #heads > 0 and heads or all
        end
        local own_target = as_indicator and framework[as_indicator].targets
            and framework[as_indicator].targets[2030]
        for _, t in ipairs(targets) do
          local text = (t.label or "2030 target") .. " = " .. t.value
          local groups, not_stored = {}, nil
          if own_target and own_target.kind == "abs" and own_target.value == tonumber(t.value) then
            -- the framework indicator's own 2030 target (opensdg-export writes it there): the
            -- framework holds it, a comment need not
            not_stored = "; the framework's own 2030 target of " .. as_indicator
                .. ", not stored as a comment"
          else
            groups = groups_for(t.unit or first_unit)
            if #groups == 0 and t.unit then
              groups = groups_for(first_unit)
            end
            not_stored = #groups == 0 and "; not stored: no row of the file was imported" or ""
          end
          for _, g in ipairs(groups) do
            g.targets = g.targets and (g.targets .. "; " .. text) or text
          end
          if #groups > 0 then
            targets_stored = targets_stored + 1
          end
          report(input.name, string.format("target line %s%s%s", text,
            t.unit and (" (" .. t.unit .. ")") or "", not_stored))
        end
        for _, c in ipairs(order) do
          local group = rows_of[c]
          for _, obs in ipairs(group) do
            local notes = obs.notes
            obs.notes = nil
            local target_note = group.targets
                and ("2030 target (Open SDG graph_target_lines): " .. group.targets)
            if target_note and not table.concat(notes, "; "):find(target_note, 1, true) then
              notes[#notes + 1] = target_note
            end
            if #notes > 0 then
              obs.comment = table.concat(notes, "; ")
            end
            out:observation(obs)
          end
        end
      end
    end

    local skipped = numeric - imported
    local reasons = {}
    for reason, n in pairs(counts) do
      reasons[#reasons + 1] = string.format("%s: %d", reason, n)
    end
    table.sort(reasons)
    local marked, n_marked = {}, 0
    for m, n in pairs(markers) do
      marked[#marked + 1] = string.format("'%s' %d", m, n)
      n_marked = n_marked + n
    end
    table.sort(marked)
    print(string.format("opensdg: %d indicator files, %d other CSV files, %d metadata files; "
      .. "%d target lines (%d stored as comments); %d rows without a value; %d rows marked not "
      .. "available%s; %d rows with other text values", files, other_files, n_meta, targets_total,
      targets_stored, blank, n_marked, #marked > 0 and (" (" .. table.concat(marked,
      ", ") .. ")") or "", not_numeric))
    if read_unterminated > 0 then
      print(string.format("opensdg: %d data files end without a newline, as every data file of "
        .. "this repository does: their last lines were read as whole", read_unterminated))
    end
    if #reasons > 0 then
      print("opensdg: skipped rows by reason: " .. table.concat(reasons, "; "))
    end
    print(string.format("opensdg: numeric rows %d = imported %d + skipped %d", numeric, imported,
      skipped))
  end,
}
