--- opensdg: imports an Open SDG data repository (data/*.csv and meta/*.md or meta/*.yml).
--
--   acvtrack import --format opensdg --opt area=ES-BCN --opt area_name=Barcelona \
--       --opt country=ES ../shared/data/opensdg-barcelona
--
-- What it reads (the Open SDG data format, docs/plugins.md "The bundled plugins"):
-- * data files: data/indicator_<id>.csv or data/<id>.csv with a "-" in <id> (sdg-build reads
--   data/*-*.csv); the first column is Year, the last Value, the ones between are disaggregation
--   columns, except Units and Series (which choose the series) and observation attributes
--   (COMMENT_OBS becomes the comment). A blank cell means "total": the row whose disaggregation
--   cells are all blank is the headline.
-- * metadata: meta/<id>.md (YAML front matter) or meta/<id>.yml: indicator_name, computation_units,
--   source_organisation_1, graph_target_lines, and acvtrack_code (written by opensdg-export).
--
-- Where each row goes:
-- * the indicator number is the metadata's indicator_number, else the id with dashes as dots;
-- * a number that is a framework indicator id (or an acvtrack_code in the metadata) imports as
--   that indicator: only its headline rows (the API has no disaggregated observations);
-- * an SDG number (goal.target.indicator) imports as the data series "SDG:<number>" (the headline
--   in the file's first unit and series) or "SDG:<number>|<column>=<value>..." (everything else);
--   framework indicators linked to that SDG indicator use the headline when they have no data of
--   their own (helpers/sdg.lua explains the codes);
-- * any other number imports as a data series of that code.
-- Years: "2019"; a range "2016-2017" or "01/01/2020-31/12/2020" is stored under the year it ends
-- in (--opt ranges=start for the first year, ranges=skip to leave such rows out), and the
-- original period goes into the comment.
-- 2030 targets (graph_target_lines) cannot be stored per area by the engine yet: each target is
-- reported, and written into the comment of every observation of the series it belongs to.
--
-- Nothing is dropped silently: every numeric row is imported or reported on stderr with its file
-- and line, and the last line says "opensdg: numeric rows N = imported A + skipped S".
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

-- Open SDG id of a data file name, or nil when sdg-build would not read it as one.
local function data_id(name)
  local base = basename(name)
  local dir = parent(name)
  if dir == "meta" or dir == "indicator-config" then
    return nil
  end
  local id = base:match("^indicator_(.+)%.csv$")
  if id then
    return id
  end
  if parent(name) == "data" then
    id = base:match("^(.+)%.csv$")
    if id and id:find("-", 1, true) then
      return id
    end
  end
  return nil
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
  version = "1.0.0",
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

    -- reporting: every skipped row and target line, within the sandbox's print budget (the
    -- summary lines at the end always fit), skipped rows counted by reason
    local printed, counts = 0, {}
    local function report(where, message)
      printed = printed + 1
      if printed <= MAX_REPORT_LINES then
        print("opensdg: " .. where .. ": " .. message)
      elseif printed == MAX_REPORT_LINES + 1 then
        print("opensdg: (further lines not listed; see the counts below)")
      end
    end
    local function count(reason, n)
      counts[reason] = (counts[reason] or 0) + (n or 1)
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

    local numeric, imported, blank, not_numeric, files, other_files = 0, 0, 0, 0, 0, 0
    local series_seen, targets_total, targets_stored = {}, 0, 0
    local seen = {} -- "code\tperiod" -> {line, value}: one value per series and year

    for _, input in ipairs(ctx.inputs) do
      local id = data_id(input.name)
      if input.name:match("%.csv$") and not id then
        -- not an indicator file: its rows are counted and reported, not imported
        local ok, rows = pcall(acv.parse_csv, input.text, input.name)
        if ok then
          local n = 0
          for i = 2, #rows do
            if is_number(trim(rows[i][#rows[i]] or "")) then
              n = n + 1
            end
          end
          numeric = numeric + n
          count("not an indicator file", n)
          report(input.name, string.format("not an indicator file (Open SDG reads "
            .. "data/*-*.csv); %d numeric rows skipped", n))
        else
          report(input.name, "not an indicator file, and not read: " .. tostring(rows))
        end
        other_files = other_files + 1
      elseif id then
        files = files + 1
        local meta = metas[id]
        local number = str(meta and meta.indicator_number) or sdg.number_of(id)
        local code = str(meta and meta.acvtrack_code)
        local as_indicator = code or (framework[number] and number)
        local ok, rows = pcall(acv.parse_csv, input.text, input.name)
        if not ok then
          -- a malformed CSV (the message names its line): the file is skipped as a whole
          report(input.name, "not read, skipped as a whole: " .. tostring(rows))
          rows = {}
        end
        local header = rows[1] or {}
        local width = #header
        for i = 1, width do
          header[i] = trim(header[i])
        end
        local header_ok = width >= 2 and header[1] == "Year" and header[width] == "Value"
        if #rows > 0 and not header_ok then
          local n = 0
          for i = 2, #rows do
            if is_number(trim(rows[i][#rows[i]] or "")) then
              n = n + 1
            end
          end
          numeric = numeric + n
          count("header is not Year,...,Value", n)
          report(input.name .. ":" .. (header.line or 1), string.format(
            "the first column must be Year and the last Value; %d numeric rows skipped", n))
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
        local name = str(meta and meta.indicator_name) or str(meta and meta.graph_title)
            or ("SDG " .. number)
        local source = opt.source or str(meta and meta.source_organisation_1) or "Open SDG data"
        local default_unit = str(meta and meta.computation_units)
        -- the first data row's unit and series are the file's first ones (even when blank)
        local first_unit, first_series
        if rows[2] and #rows[2] == width then
          for c = 2, width - 1 do
            if role[c] == "unit" then
              first_unit = trim(rows[2][c])
            elseif role[c] == "series" then
              first_series = trim(rows[2][c])
            end
          end
        end
        local targets = target_lines(meta)
        targets_total = targets_total + #targets
        local rows_of = {} -- code -> list of pending observations (comments added at the end)
        local order = {}

        for r = 2, #rows do
          local row = rows[r]
          local where = input.name .. ":" .. row.line
          local value = trim(row[#row] or "")
          if #row ~= width then
            if is_number(value) then
              numeric = numeric + 1
              count("wrong number of cells")
            end
            report(where, string.format("%d cells where the header has %d; row %s", #row, width,
              is_number(value) and "skipped" or "ignored (no numeric value)"))
          elseif value == "" then
            blank = blank + 1 -- no data: Open SDG's blank value
          elseif not is_number(value) then
            not_numeric = not_numeric + 1
            report(where, "value '" .. value .. "' is not a number; row ignored (no numeric value)")
          else
            numeric = numeric + 1
            local period, range = period_of(trim(row[1]), ranges)
            local quals, dims, unit = {}, {}, nil
            for c = 2, width - 1 do
              local cell = trim(row[c])
              if role[c] == "unit" then
                unit = cell ~= "" and cell or nil
                if cell ~= (first_unit or "") then
                  quals[#quals + 1] = { header[c], cell }
                end
              elseif role[c] == "series" then
                if cell ~= (first_series or "") then
                  quals[#quals + 1] = { header[c], cell }
                end
              elseif role[c] == "dimension" and cell ~= "" then
                quals[#quals + 1] = { header[c], cell }
                dims[#dims + 1] = header[c] .. ": " .. cell
              end
            end
            local target_code, why, reason
            if not period then
              why, reason = range, "period not a year"
            elseif as_indicator then
              if #quals > 0 then
                why = "a disaggregated value of the framework indicator " .. as_indicator
                    .. " (plugins cannot import disaggregations yet)"
                reason = "disaggregated framework indicator"
              else
                target_code = as_indicator
              end
            elseif sdg.is_sdg_number(number) then
              target_code, why = sdg.make_code(number, quals)
              reason = "series code too long"
            elseif #quals > 0 then
              why = "a disaggregated value of the local indicator " .. number
              reason = "disaggregated local indicator"
            else
              target_code = number
            end
            if target_code then
              local key = target_code .. "\t" .. period
              local previous = seen[key]
              if previous then
                previous.where = previous.file == input.name and ("line " .. previous.line)
                    or (previous.file .. ":" .. previous.line)
                target_code = nil
                if previous.value == value then
                  why = "repeats " .. previous.where .. " (same series and year, same value)"
                  reason = "duplicate row"
                else
                  reason = "conflicting row"
                  why = "conflicts with " .. previous.where .. " (same series and year "
                      .. period .. ", value " .. previous.value .. ")"
                end
              else
                seen[key] = { file = input.name, line = row.line, value = value }
              end
            end
            if not target_code then
              count(reason)
              report(where, why .. "; row skipped")
            else
              imported = imported + 1
              if not as_indicator and not series_seen[target_code] then
                series_seen[target_code] = true
                local sname = name
                local extra = {}
                for _, q in ipairs(quals) do
                  extra[#extra + 1] = q[1] .. ": " .. q[2]
                end
                if #extra > 0 then
                  sname = sname .. " (" .. table.concat(extra, "; ") .. ")"
                end
                out:series({ code = target_code, name = sname, unit = unit or default_unit })
              end
              if not rows_of[target_code] then
                rows_of[target_code] = { unit = unit, headline = #dims == 0 }
                order[#order + 1] = target_code
              end
              local obs = { area = area, indicator = target_code, period = period, value = value,
                            source = source, file = input.name, line = row.line }
              local notes = {}
              if range then
                notes[#notes + 1] = "period " .. range .. " in the source"
              end
              if comment_col and trim(row[comment_col]) ~= "" then
                notes[#notes + 1] = trim(row[comment_col])
              end
              obs.notes = notes
              table.insert(rows_of[target_code], obs)
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
        for _, t in ipairs(targets) do
          local text = (t.label or "2030 target") .. " = " .. t.value
          local groups = groups_for(t.unit or first_unit)
          if #groups == 0 and t.unit then
            groups = groups_for(first_unit)
          end
          for _, g in ipairs(groups) do
            g.targets = g.targets and (g.targets .. "; " .. text) or text
          end
          if #groups > 0 then
            targets_stored = targets_stored + 1
          end
          report(input.name, string.format("target line %s%s%s", text,
            t.unit and (" (" .. t.unit .. ")") or "",
            #groups == 0 and "; not stored: no row of the file was imported" or ""))
        end
        for _, c in ipairs(order) do
          local group = rows_of[c]
          for _, obs in ipairs(group) do
            local notes = obs.notes
            obs.notes = nil
            if group.targets then
              notes[#notes + 1] = "2030 target (Open SDG graph_target_lines): " .. group.targets
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
    print(string.format("opensdg: %d indicator files, %d other CSV files, %d metadata files; "
      .. "%d target lines (%d stored as comments); %d rows without a value; %d rows with text "
      .. "values", files, other_files, n_meta, targets_total, targets_stored, blank, not_numeric))
    if #reasons > 0 then
      print("opensdg: skipped rows by reason: " .. table.concat(reasons, "; "))
    end
    print(string.format("opensdg: numeric rows %d = imported %d + skipped %d", numeric, imported,
      skipped))
  end,
}
