--- Comparable units: whether a data series imported outside the framework (an "SDG:<code>" series)
-- may feed a framework indicator, and converted how (docs/methodology.md "Comparable units").
--
-- The unit table (codes, names, aliases) and the declared conversions are the framework's
-- (`units` and `unit_conversions`, shipped in indicators/units.yml; docs/framework-format.md);
-- this file is the rule, so experts can change it without recompiling:
-- * a series' unit text is normalised (spaces trimmed and collapsed, ASCII letters lowered) and
--   looked up among the codes, names and aliases of the table;
-- * the indicator's unit is its `unit_code`, or else the code its `unit` text names;
-- * the series feeds the indicator when both are the same unit (identity) or a conversion is
--   declared between them (either way: the other way round divides by the factor); its values are
--   then converted to the indicator's unit;
-- * otherwise the indicator is not scored from it, and says why: "not comparable: unit X,
--   expected Y". A series without a unit feeds no indicator that has one ("unit unknown").
local M = {}

--- The unit text as compared: trimmed, runs of spaces and tabs made one space, ASCII lower case;
-- nil for nil or blank text.
function M.normalise(text)
  if type(text) ~= "string" then
    return nil
  end
  local t = text:gsub("[ \t]+", " "):gsub("^ ", ""):gsub(" $", ""):lower()
  if t == "" then
    return nil
  end
  return t
end

--- Lookup tables for a unit table {units = {{code, name, aliases}}, conversions = {{from, to,
-- factor}}} (input.framework.units); nil or an empty table gives empty lookups.
function M.index(table_)
  local idx = { by_text = {}, factors = {} }
  for _, u in ipairs((table_ and table_.units) or {}) do
    local texts = { u.code, u.name }
    for _, a in ipairs(u.aliases or {}) do
      texts[#texts + 1] = a
    end
    for _, t in ipairs(texts) do
      local n = M.normalise(t)
      if n and not idx.by_text[n] then
        idx.by_text[n] = u.code
      end
    end
  end
  for _, c in ipairs((table_ and table_.conversions) or {}) do
    idx.factors[c.from] = idx.factors[c.from] or {}
    idx.factors[c.to] = idx.factors[c.to] or {}
    idx.factors[c.from][c.to] = c.factor
    idx.factors[c.to][c.from] = 1 / c.factor
  end
  return idx
end

--- The unit code a unit text names, or nil.
function M.code_of(idx, text)
  local n = M.normalise(text)
  return n and idx.by_text[n]
end

--- The factor that turns a value in unit `from` into one in unit `to`: 1 for the same unit, the
-- declared factor (or its inverse), nil when no conversion is declared.
function M.factor(idx, from, to)
  if from == to then
    return 1
  end
  return idx.factors[from] and idx.factors[from][to]
end

--- The indicator's unit code: its declared `unit_code`, or the code its `unit` text names.
function M.expected(ind, idx)
  return ind.unit_code or M.code_of(idx, ind.unit)
end

--- Judges one linked series {code, unit, series} for ind. Returns the factor to apply (1: same
-- unit) and a description of the conversion (nil for the identity), or nil and the reason it is
-- not comparable ("unit count, expected per_100000").
function M.judge(ind, linked, idx)
  local expected = M.expected(ind, idx)
  local text = M.normalise(linked.unit)
  local got = text and idx.by_text[text]
  local want = expected or string.format("%q", ind.unit or "")
  if not text then
    return nil, "unit unknown, expected " .. want
  end
  if not expected then
    -- the indicator's unit is not in the table: only the very same text is the same unit
    if text == M.normalise(ind.unit) then
      return 1
    end
    return nil, string.format("unit %s, expected %s", got or string.format("%q", linked.unit),
      want)
  end
  if not got then
    return nil, string.format("unit %q, expected %s", linked.unit, want)
  end
  local f = M.factor(idx, got, expected)
  if not f then
    return nil, string.format("unit %s, expected %s", got, want)
  end
  if got == expected then
    return 1
  end
  return f, string.format("unit %s converted to %s (× %.10g)", got, expected, f)
end

--- The series converted by factor: new points, the same periods and years.
function M.convert(series, factor)
  local out = {}
  for i, p in ipairs(series) do
    out[i] = { period = p.period, year = p.year, value = p.value * factor }
  end
  return out
end

--- For an indicator without data of its own (`ind.series` empty) and with linked series
-- (`ind.linked`, in the framework's order): feeds it the first comparable one, converted, by
-- setting ind.series, ind.series_from and ind.series_conversion. Returns nil when one fed it or
-- there was nothing to judge, else the note "not comparable: ..." for the first one (and how
-- many more were not comparable either).
function M.feed(ind, table_)
  if not ind.linked or #ind.linked == 0 or (ind.series and #ind.series > 0) then
    return nil
  end
  local idx = M.index(table_)
  local first_why
  for _, linked in ipairs(ind.linked) do
    local factor, how = M.judge(ind, linked, idx)
    if factor then
      ind.series = factor == 1 and linked.series or M.convert(linked.series, factor)
      ind.series_from = linked.code
      ind.series_conversion = how
      return nil
    end
    first_why = first_why or string.format("%s (imported series %s)", how, linked.code)
  end
  local more = #ind.linked - 1
  return "not comparable: " .. first_why
    .. (more > 0 and string.format("; %d more linked series not comparable either", more) or "")
end

return M
