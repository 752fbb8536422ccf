--- sglg: evidence for the Philippines' Seal of Good Local Governance, by governance area.
--
--   acvtrack export --format sglg --area PH-QC --opt psgc=1381300000 -o sglg.csv
--
-- The Seal of Good Local Governance (Republic Act 11292, 2019) assesses every province, city and
-- municipality in ten governance areas; the Council of Good Local Governance (chaired by DILG)
-- sets each area's indicators and minimum requirements every year, and an LGU passes an area when
-- it meets all of them. This plugin does NOT decide passing: the minimum requirements (audit
-- opinions, disclosure compliance, ...) are not acvtrack indicators. It lists, for each of the ten
-- areas, the acvtrack indicators that are evidence for it, with their latest value, 2030 target,
-- score and progress, so that the LGU's SGLG focal person can attach them to the means of
-- verification (MOV). One CSV: one "area" row per governance area (indicators mapped, with data,
-- mean score), followed by its "indicator" rows; a final "not mapped" group lists the framework
-- indicators that support no area.
--
-- The mapping (AREAS below):
-- * the ten area numbers and names: verified (RA 11292 and DILG material, summarised in
--   shared/reference/acv2045-context.md §3.3, marked [V] there);
-- * which acvtrack indicator supports which area: acvtrack's own reading of the area titles, NOT
--   taken from the SGLG technical notes (verified = "no" in every indicator row);
-- * the PSGC code of the LGU (--opt psgc=) is taken as given; its format (10 digits) is general
--   knowledge, not verified.
local AREAS = {
  { no = 1, name = "Financial Administration and Sustainability",
    indicators = { "EC.FIN.1", "EC.FIN.2", "EC.FIN.3", "EC.FIN.4", "EC.FIN.5", "PS.GOV.5" } },
  { no = 2, name = "Disaster Preparedness",
    indicators = { "PS.DRR.1", "PS.DRR.2", "PS.DRR.3", "PS.DRR.4", "PS.DRR.5", "PS.DRR.6" } },
  { no = 3, name = "Social Protection and Sensitivity",
    indicators = { "SC.INC.1", "SC.INC.2", "SC.INC.3", "SC.INC.4", "SC.INC.5", "SC.HLT.3",
                   "EC.JOB.4", "PS.SRL.4" } },
  { no = 4, name = "Health Compliance and Responsiveness",
    indicators = { "SC.HLT.1", "SC.HLT.2", "SC.HLT.4", "SC.HLT.5", "SC.HLT.6", "CN.UTL.2",
                   "CN.UTL.3" } },
  { no = 5, name = "Sustainable Education",
    indicators = { "SC.EDU.1", "SC.EDU.2", "SC.EDU.3", "SC.EDU.4", "CN.DIG.5" } },
  { no = 6, name = "Business-Friendliness and Competitiveness",
    indicators = { "EC.MSME.1", "EC.MSME.2", "EC.MSME.3", "EC.MSME.4", "EC.MSME.5", "EC.MSME.6",
                   "EC.JOB.1", "EC.JOB.3", "EC.JOB.5", "CN.DIG.4" } },
  { no = 7, name = "Safety, Peace and Order",
    indicators = { "PS.SRL.1", "PS.SRL.2", "PS.SRL.3", "PS.SRL.5", "PS.CBS.2", "CN.MOB.2" } },
  { no = 8, name = "Environmental Management",
    indicators = { "SC.ENV.1", "SC.ENV.2", "SC.ENV.3", "SC.ENV.4", "SC.ENV.5", "EC.GBE.1",
                   "EC.GBE.3", "EC.GBE.5", "CN.UTL.4" } },
  { no = 9, name = "Tourism, Heritage Development, Culture and the Arts",
    indicators = { "SC.CUL.1", "SC.CUL.2", "SC.CUL.3", "EC.GBE.4", "CN.REG.2" } },
  { no = 10, name = "Youth Development",
    indicators = { "EC.JOB.2", "CN.DIG.3" } },
}

---@type acv.Plugin
return {
  api = 1,
  name = "sglg",
  version = "1.0.0",
  kind = "exporter",
  description = "Philippines SGLG evidence: indicators by the ten governance areas (CSV)",
  options = {
    { name = "area", help = "area code (required; --area sets it)" },
    { name = "year", help = "year of the scoring run (default: the latest)" },
    { name = "psgc", help = "PSGC code of the LGU (default: blank)" },
  },

  export = function(ctx)
    local acv, opt = ctx.acv, ctx.options
    local area = opt.area
    if not area then
      error("give the area: --area CODE", 0)
    end
    local res = acv.results(area, tonumber(opt.year))
    local by_id, mapped = {}, {}
    for _, ind in ipairs(acv.framework.indicators) do
      by_id[ind.id] = ind
    end
    local f = ctx.out:file("sglg.csv")
    f:csv({ "row", "lgu", "psgc", "year", "sglg_area_no", "sglg_area", "acvtrack_indicator",
            "indicator", "value", "unit", "period", "target_2030", "score", "progress",
            "mapping_verified", "mov_reference" })
    local function indicator_row(no, name, ind)
      local r = res.indicators[ind.id]
      f:csv({ "indicator", area, opt.psgc or "", res.run.year, no, name, ind.id, ind.name,
              r.value, ind.unit, r.period, ind.targets[2030] and ind.targets[2030].text or "",
              r.score and (math.floor(r.score * 10 + 0.5) / 10) or nil,
              r.class_label or r.note or "", "no", "" })
    end
    local function group(no, name, list)
      local with_data, sum, n = 0, 0, 0
      for _, ind in ipairs(list) do
        local r = res.indicators[ind.id]
        if r.value then
          with_data = with_data + 1
        end
        if r.score then
          sum, n = sum + r.score, n + 1
        end
      end
      f:csv({ "area", area, opt.psgc or "", res.run.year, no, name, "",
              string.format("%d indicators mapped, %d with data", #list, with_data), "", "", "",
              "", n > 0 and (math.floor(sum / n * 10 + 0.5) / 10) or nil,
              n > 0 and "mean score of the scored indicators" or "no indicator scored",
              no ~= "" and "area: yes; indicators: no" or "", "" })
      for _, ind in ipairs(list) do
        indicator_row(no, name, ind)
      end
    end
    for _, a in ipairs(AREAS) do
      local list = {}
      for _, id in ipairs(a.indicators) do
        if by_id[id] then
          list[#list + 1] = by_id[id]
          mapped[id] = true
        end
      end
      group(a.no, a.name, list)
    end
    local rest = {}
    for _, ind in ipairs(acv.framework.indicators) do
      if not mapped[ind.id] then
        rest[#rest + 1] = ind
      end
    end
    if #rest > 0 then
      group("", "not mapped to an SGLG area", rest)
    end
  end,
}
