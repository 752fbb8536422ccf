-- Worked examples for methods/collect.lua: the kind of a data source and the collect-first list.
local check = require("helpers.check")
local collect = require("methods.collect")

local T = {}

function T.source_kinds()
  -- only the part before the first ";" counts; the word earliest in it decides
  local kind, cost = collect.source_kind("Water utility; household survey")
  check.equal(kind, "administrative records")
  check.equal(cost, 1)
  kind, cost = collect.source_kind("Household survey (JMP method); septage-management records")
  check.equal(kind, "surveys and censuses")
  check.equal(cost, 4)
  -- "GIS" comes before "census"
  kind, cost = collect.source_kind("GIS overlay of official hazard maps with census population")
  check.equal(kind, "maps and satellite data")
  check.equal(cost, 2)
  -- words match at the start of a word: "registry" is not "gis"
  check.equal((collect.source_kind("Immunisation registry; survey validation")),
    "administrative records")
  -- "questionnaire" comes before "office"
  kind, cost = collect.source_kind(
    "UN-Habitat 11.3.2 questionnaire administered by city planning office")
  check.equal(kind, "assessments and audits")
  check.equal(cost, 3)
  -- none of the words, or no source: after every listed kind
  kind, cost = collect.source_kind("Giga school-connectivity map")
  check.equal(kind, "maps and satellite data")
  kind, cost = collect.source_kind("Private foundations")
  check.equal(kind, "other source")
  check.equal(cost, 5)
  check.equal((collect.source_kind(nil)), "other source")
end

-- Two action areas of one pillar, six core indicators (B.4 optional); only A.1 has a score.
local fw = { pillars = { { id = "P", action_areas = {
  { id = "A", indicators = { "A.1", "A.2", "A.3" } },
  { id = "B", indicators = { "B.1", "B.2", "B.3", "B.4" } },
} } } }
local sources = {
  ["A.1"] = { data_source = "City budget office" },
  ["A.2"] = { data_source = "Household survey" },                 -- survey, cost 4
  ["A.3"] = { data_source = "Water utility records" },            -- administrative, 1
  ["B.1"] = {},                                                   -- other, 5
  ["B.2"] = { data_source = "Police records; victimisation survey" }, -- administrative, 1
  ["B.3"] = { data_source = "Satellite-derived estimates" },      -- maps, 2
  ["B.4"] = { data_source = "City budget office" },
}
local rules = { min_share = 0.5, min_count = 2, max_missing_core = 0.2 }

function T.cheapest_first_until_the_official_score()
  local results = {
    ["A.1"] = { score = 40, core = true }, ["A.2"] = { core = true }, ["A.3"] = { core = true },
    ["B.1"] = { core = true }, ["B.2"] = { core = true }, ["B.3"] = { core = true },
    ["B.4"] = { core = false },
  }
  -- 5 of 6 core missing; at most 20% may be: at most 1 of 6, so 4 more are needed. Cheapest
  -- first, framework order among equals: A.3 and B.2 (administrative), B.3 (maps), A.2 (survey).
  -- With them: A 3 of 3, B 2 of 4 (half, and 2) scored; 1 of 6 core missing = 16.7% -> official
  local list, unlocks = collect.first(fw, sources, results, rules)
  check.equal(#list, 4)
  check.equal(list[1].id, "A.3")
  check.equal(list[1].source, "administrative records")
  check.equal(list[2].id, "B.2")
  check.equal(list[3].id, "B.3")
  check.equal(list[3].source, "maps and satellite data")
  check.equal(list[4].id, "A.2")
  check.equal(list[4].source, "surveys and censuses")
  check.equal(unlocks, true)
end

function T.nothing_to_collect_when_official()
  -- every core indicator scored: the official score is there, nothing to collect
  local results = {}
  for _, id in ipairs({ "A.1", "A.2", "A.3", "B.1", "B.2", "B.3" }) do
    results[id] = { score = 50, core = true }
  end
  results["B.4"] = { core = false }
  local list, unlocks = collect.first(fw, sources, results, rules)
  check.equal(#list, 0)
  check.equal(unlocks, true)
end

function T.not_applicable_and_contextual_are_never_listed()
  -- A.2 not applicable, B.1 contextual: 4 applicable core (A.1, A.3, B.2, B.3), A.1 scored;
  -- at most 20% of 4 = 0.8 missing, so all three others: A.3, B.2, B.3 (cheapest first)
  local results = {
    ["A.1"] = { score = 40, core = true }, ["A.2"] = { core = true, not_applicable = true },
    ["A.3"] = { core = true }, ["B.1"] = { core = true, contextual = true },
    ["B.2"] = { core = true }, ["B.3"] = { core = true }, ["B.4"] = { core = false },
  }
  local list, unlocks = collect.first(fw, sources, results, rules)
  check.equal(#list, 3)
  check.equal(list[1].id, "A.3")
  check.equal(list[2].id, "B.2")
  check.equal(list[3].id, "B.3")
  check.equal(unlocks, true)
end

return T
