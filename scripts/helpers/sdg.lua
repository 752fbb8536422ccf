--- SDG codes for plugins: the acvtrack indicator → UN SDG series mapping, and the "SDG:" data
-- series codes that importers create and exporters read back.
--
-- Used by plugins/opensdg/init.lua, plugins/opensdg-export.lua, plugins/sdmx-csv.lua and
-- plugins/sdmx-csv-import.lua (`local sdg = require("helpers.sdg")`); docs/plugins.md explains it.
--
-- ## The series mapping (M.SERIES)
--
-- One entry per framework indicator that has an SDG link (indicators/*.yml `links.sdg`):
--
--   series   the UN SDG series code of the global SDG database, or nil when the indicator has no
--            series in the source below (the SDG indicator then has no series at all, or none that
--            measures anything close);
--   match    "exact"   the acvtrack indicator measures what the series measures (same definition,
--                       at city level); SDMX exports report it under this series code;
--            "related" the series is the nearest one but measures something else (a proxy, a count
--                       instead of a rate, a national aggregate...); exports keep the acvtrack
--                       code and name the series only as a pointer;
--   verified true when the series code and its description were checked in the source below;
--            false when it comes from memory and must be checked before it is relied on;
--   note     why the match is what it is.
--
-- Source: the UN Statistics Division SDG API series list, release 2022.Q1.G.03
-- (https://unstats.un.org/SDGAPI/v1/sdg/Indicator/List), read in the copy kept in the public
-- repository SunIBAS/data_collection (file 下载数据/处理下载的sdg.js). Series codes change between
-- releases (e.g. VC_SNS_WALN_DRK became VC_SNS_WALN); check the release you report to.
local M = {}

M.SOURCE = "UN SDG API series list, release 2022.Q1.G.03"

-- indicator id -> {sdg, series, match, verified, note}
M.SERIES = {
  ["PS.DRR.1"] = { sdg = "11.5.1", series = "VC_DSR_MTMP", match = "exact", verified = true,
    note = "deaths and missing persons per 100,000; acvtrack stores annual values (the 5-year mean is a scoring step)" },
  ["PS.DRR.2"] = { sdg = "11.5.1", series = "VC_DSR_DAFF", match = "exact", verified = true,
    note = "directly affected persons per 100,000" },
  ["PS.DRR.3"] = { sdg = "11.5.2", series = "VC_DSR_LSGP", match = "exact", verified = true,
    note = "direct economic loss relative to GDP (%), city GDP instead of national" },
  ["PS.DRR.4"] = { sdg = "11.b.2", series = "SG_DSR_SILS", match = "related", verified = true,
    note = "the series is the share of local governments with a DRR strategy, not a city's scorecard score" },
  ["PS.DRR.6"] = { sdg = "11.1.1", series = nil, match = "related", verified = true,
    note = "no SDG series measures the population in high-hazard zones" },
  ["PS.SRL.1"] = { sdg = "16.1.1", series = "VC_IHR_PSRC", match = "exact", verified = true,
    note = "victims of intentional homicide per 100,000" },
  ["PS.SRL.2"] = { sdg = "16.1.4", series = "VC_SNS_WALN", match = "exact", verified = true,
    note = "feel safe walking alone around the area they live" },
  ["PS.SRL.3"] = { sdg = "11.7.2", series = nil, match = "related", verified = true,
    note = "11.7.2 had no series in the source release" },
  ["PS.SRL.4"] = { sdg = "16.9.1", series = "SG_REG_BRTH", match = "exact", verified = true,
    note = "births of children under 5 registered" },
  ["PS.SRL.5"] = { sdg = "16.3.1", series = "VC_PRR_PHYV", match = "related", verified = true,
    note = "the series are police reporting rates by type of crime (physical, sexual, robbery); no all-violence series" },
  ["PS.GOV.1"] = { sdg = "16.6.2", series = nil, match = "related", verified = true,
    note = "16.6.2 had no series in the source release" },
  ["PS.GOV.2"] = { sdg = "16.5.1", series = "IU_COR_BRIB", match = "exact", verified = true,
    note = "prevalence rate of bribery" },
  ["PS.GOV.3"] = { sdg = "5.5.1(b)", series = "SG_GEN_LOCGELS", match = "exact", verified = true,
    note = "elected seats held by women in deliberative bodies of local government" },
  ["PS.GOV.4"] = { sdg = "11.3.2", series = nil, match = "related", verified = true,
    note = "11.3.2 had no series in the source release" },
  ["PS.GOV.5"] = { sdg = "16.6.1", series = "GF_XPD_GBPC", match = "related", verified = true,
    note = "the series is expenditure as % of the approved budget; acvtrack stores the deviation from it" },
  ["PS.CBS.2"] = { sdg = "16.2.2", series = "VC_HTF_DETV", match = "related", verified = true,
    note = "the series is a number of detected victims, not a rate per 100,000" },
  ["PS.CBS.3"] = { sdg = "3.d.1", series = "SH_IHR_CAPS", match = "related", verified = true,
    note = "IHR capacity by type of capacity (%), national" },
  ["EC.MSME.2"] = { sdg = "9.3.2", series = "FC_ACC_SSID", match = "related", verified = true,
    note = "the series covers small-scale industries (manufacturing), not all MSMEs" },
  ["EC.MSME.3"] = { sdg = "17.8.1", series = nil, match = "related", verified = true,
    note = "IT_USE_ii99 counts individuals using the Internet, not MSMEs" },
  ["EC.MSME.5"] = { sdg = "5.5.2", series = "IC_GEN_MGTL", match = "related", verified = true,
    note = "the series is women in managerial positions" },
  ["EC.JOB.1"] = { sdg = "8.5.2", series = "SL_TLF_UEM", match = "exact", verified = true,
    note = "unemployment rate" },
  ["EC.JOB.2"] = { sdg = "8.6.1", series = "SL_TLF_NEET", match = "exact", verified = true,
    note = "youth not in education, employment or training" },
  ["EC.JOB.3"] = { sdg = "8.3.1", series = "SL_ISV_IFEM", match = "exact", verified = true,
    note = "proportion of informal employment" },
  ["EC.JOB.4"] = { sdg = "1.2.1", series = "SI_POV_NAHC", match = "exact", verified = true,
    note = "population below the national poverty line" },
  ["EC.JOB.5"] = { sdg = "8.10.2", series = "FB_BNK_ACCSS", match = "exact", verified = true,
    note = "adults with an account at a financial institution or mobile-money provider" },
  ["EC.GBE.1"] = { sdg = "12.5.1", series = "EN_MWT_RCYV", match = "related", verified = true,
    note = "the series is tonnes of municipal waste recycled, not a share" },
  ["EC.GBE.3"] = { sdg = "12.7.1", series = "SG_SCP_PROCN", match = "related", verified = true,
    note = "the series counts countries with sustainable procurement plans" },
  ["EC.GBE.4"] = { sdg = "12.b.1", series = "ST_EEV_STDACCT", match = "related", verified = true,
    note = "the series counts tourism accounting tables" },
  ["EC.GBE.5"] = { sdg = "14.5.1", series = "ER_MRN_MPA", match = "related", verified = false,
    note = "marine key biodiversity areas covered by protected areas; code from memory" },
  ["EC.FIN.1"] = { sdg = "17.1.2", series = "GC_GOB_TAXD", match = "related", verified = true,
    note = "the series is the domestic budget funded by domestic taxes, national" },
  ["EC.FIN.5"] = { sdg = "17.3.1", series = "GF_FRN_FDI", match = "related", verified = true,
    note = "the series is FDI inflows in millions of USD" },
  ["SC.HLT.1"] = { sdg = "3.2.1", series = "SH_DYN_MORT", match = "exact", verified = true,
    note = "under-five mortality rate" },
  ["SC.HLT.2"] = { sdg = "3.1.1", series = "SH_STA_MORT", match = "exact", verified = true,
    note = "maternal mortality ratio" },
  ["SC.HLT.3"] = { sdg = "1.3.1", series = "SI_COV_SOCINS", match = "related", verified = true,
    note = "population covered by social insurance programs (World Bank), not health insurance only" },
  ["SC.HLT.4"] = { sdg = "3.c.1", series = "SH_MED_DEN", match = "related", verified = true,
    note = "the series is by type of occupation; acvtrack adds doctors, nurses and midwives" },
  ["SC.HLT.5"] = { sdg = "3.b.1", series = "SH_ACS_DTP3", match = "related", verified = true,
    note = "DTP3 coverage stands in for full immunisation" },
  ["SC.HLT.6"] = { sdg = "3.4.1", series = "SH_DTH_NCOM", match = "exact", verified = true,
    note = "NCD mortality (probability)" },
  ["SC.EDU.1"] = { sdg = "4.2.2", series = "SE_PRE_PARTN", match = "exact", verified = true,
    note = "participation one year before primary entry age" },
  ["SC.EDU.2"] = { sdg = "4.1.2", series = "SE_TOT_CPLR", match = "exact", verified = true,
    note = "completion rate; the series is by education level: report the upper-secondary level" },
  ["SC.EDU.3"] = { sdg = "4.1.1(c)", series = "SE_TOT_PRFL", match = "exact", verified = true,
    note = "minimum proficiency; the series is by level and subject" },
  ["SC.EDU.4"] = { sdg = "4.3.1", series = "SE_ADT_EDUCTRN", match = "exact", verified = true,
    note = "participation in formal and non-formal education and training" },
  ["SC.INC.1"] = { sdg = "11.1.1", series = "EN_LND_SLUM", match = "exact", verified = true,
    note = "urban population living in slums" },
  ["SC.INC.2"] = { sdg = "1.3.1", series = "SI_COV_BENFTS", match = "exact", verified = true,
    note = "covered by at least one social protection benefit (ILO)" },
  ["SC.INC.5"] = { sdg = "5.2.1", series = "VC_VAW_MARR", match = "exact", verified = true,
    note = "intimate-partner violence in the previous 12 months" },
  ["SC.CUL.1"] = { sdg = "11.4.1", series = "GB_XPD_CULNAT_PBPV", match = "related", verified = true,
    note = "public and private heritage expenditure per capita; acvtrack may count public only" },
  ["SC.ENV.1"] = { sdg = "11.6.2", series = "EN_ATM_PM25", match = "exact", verified = true,
    note = "annual mean PM2.5, population-weighted" },
  ["SC.ENV.2"] = { sdg = "11.6.1", series = "EN_REF_WASCOL", match = "related", verified = true,
    note = "the series is collection coverage, not management in controlled facilities" },
  ["SC.ENV.3"] = { sdg = "13.2.2", series = "EN_ATM_GHGT_NAIP", match = "related", verified = true,
    note = "national totals (Mt CO2e) for non-Annex I Parties, not per capita" },
  ["SC.ENV.4"] = { sdg = "11.7.1", series = nil, match = "related", verified = true,
    note = "11.7.1 had no series in the source release" },
  ["SC.ENV.5"] = { sdg = "11.3.1", series = nil, match = "related", verified = true,
    note = "11.3.1 had no series in the source release" },
  ["CN.DIG.1"] = { sdg = "17.8.1", series = "IT_USE_ii99", match = "exact", verified = true,
    note = "Internet users per 100 inhabitants" },
  ["CN.DIG.2"] = { sdg = "17.6.1", series = "IT_NET_BBND", match = "related", verified = true,
    note = "the series is subscriptions per 100 inhabitants, not households" },
  ["CN.DIG.3"] = { sdg = "4.4.1", series = "SE_ADT_ACTS", match = "exact", verified = true,
    note = "ICT skills; the series is by type of skill" },
  ["CN.DIG.5"] = { sdg = "4.a.1(b)", series = "SE_ACS_INTNT", match = "exact", verified = true,
    note = "schools with Internet for pedagogical purposes" },
  ["CN.DIG.6"] = { sdg = "5.b.1", series = "IT_MOB_OWN", match = "exact", verified = true,
    note = "individuals who own a mobile telephone" },
  ["CN.MOB.1"] = { sdg = "11.2.1", series = nil, match = "related", verified = true,
    note = "11.2.1 had no series in the source release" },
  ["CN.MOB.2"] = { sdg = "3.6.1", series = "SH_STA_TRAF", match = "exact", verified = true,
    note = "road traffic deaths per 100,000" },
  ["CN.MOB.5"] = { sdg = "11.6.2", series = nil, match = "related", verified = true,
    note = "no SDG series measures bus fleets" },
  ["CN.UTL.1"] = { sdg = "7.1.1", series = "EG_ACS_ELEC", match = "exact", verified = true,
    note = "access to electricity" },
  ["CN.UTL.2"] = { sdg = "6.1.1", series = "SH_H2O_SAFE", match = "exact", verified = true,
    note = "safely managed drinking water" },
  ["CN.UTL.3"] = { sdg = "6.2.1(a)", series = "SH_SAN_SAFE", match = "exact", verified = true,
    note = "safely managed sanitation" },
  ["CN.UTL.4"] = { sdg = "6.3.1", series = "EN_WWT_WWDS", match = "exact", verified = true,
    note = "safely treated domestic wastewater flows" },
  ["CN.UTL.5"] = { sdg = "6.4.1", series = "ER_H2O_WUEYST", match = "related", verified = true,
    note = "the series is water-use efficiency (USD per m3), not losses" },
  ["CN.UTL.6"] = { sdg = "7.2.1", series = "EG_FEC_RNEW", match = "related", verified = true,
    note = "the series is the renewable share of total final energy, not of electricity" },
  ["CN.REG.3"] = { sdg = "9.1.2", series = "IS_RDP_PFVOL", match = "related", verified = true,
    note = "the series is passenger-kilometres by mode" },
}

-- acvtrack unit text -> SDMX UNIT_MEASURE code. Not verified against the SDG code list
-- (CL_UNIT_MEASURE) of any DSD version: check before reporting.
M.UNITS = {
  ["%"] = "PT",
  ["per 100,000"] = "PER_100000_POP",
  ["per 10,000"] = "PER_10000_POP",
  ["per 1,000"] = "PER_1000_POP",
  ["per 1,000 live births"] = "PER_1000_LIVE_BIRTHS",
  ["per 100,000 live births"] = "PER_100000_LIVE_BIRTHS",
  ["count"] = "NUMBER",
  ["µg/m³"] = "MICROG_PER_M3",
}
M.UNITS_VERIFIED = false

-- The breakdown dimensions of the SDG data structure (SDG_DSD), in key order after FREQ,
-- REPORTING_TYPE, SERIES and REF_AREA. The count (11) is confirmed by the DF_SDG_GLH keys seen
-- in public queries; the names and order are from memory and not verified.
M.SDMX_BREAKDOWNS = { "SEX", "AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV",
                      "OCCUPATION", "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS",
                      "ACTIVITY", "PRODUCT" }

--- The mapping entry of an indicator id, or nil.
function M.series_for(id)
  return M.SERIES[id]
end

--- The SDMX series code an export uses: the UN code when the match is exact, otherwise a local
-- code "ACV_" followed by the acvtrack code with every character that SDMX ids do not allow
-- replaced by "_" (readable, not reversible: exports also carry the acvtrack code itself).
function M.sdmx_series(code)
  local e = M.SERIES[code]
  if e and e.series and e.match == "exact" then
    return e.series, e
  end
  return "ACV_" .. code:gsub("[^%w_@$%-]", "_"), e
end

--- The SDMX unit code of an acvtrack unit (uppercase letters, digits and "_" when unknown).
function M.sdmx_unit(unit)
  if not unit or unit == "" then
    return ""
  end
  return M.UNITS[unit] or (unit:upper():gsub("[^%w]+", "_"):gsub("^_", ""):gsub("_$", ""))
end

--- True when text looks like an SDG indicator number: goal.target.indicator ("11.6.2", "4.a.1").
function M.is_sdg_number(text)
  return text:match("^%d+%.%w+%.%d+$") ~= nil
end

--- Open SDG file id ("11-6-2", "PS-DRR-1") of an indicator number ("11.6.2", "PS.DRR.1").
function M.file_id(number)
  return (number:gsub("%.", "-"))
end

--- Indicator number of an Open SDG id: dashes become dots.
function M.number_of(id)
  return (id:gsub("%-", "."))
end

-- ---- data series codes ---------------------------------------------------------------------
--
-- An imported data series is a base code followed, for a row in another unit or series than its
-- file's first row, by "|<column>=<value>" qualifiers in the column order of the source file:
--   SDG:11.6.2                                the SDG indicator 11.6.2 (the file's first unit)
--   SDG:8.1.2|Units=Percentage                the same in the file's second unit
--   8.3.1.1, 5.5.2a                           an id that is not goal.target.indicator
-- Disaggregations (Sex, Age, ...) are not part of the code: they are the observations'
-- disaggregation. Framework indicators linked to SDG 11.6.2 use the data of SDG:11.6.2 when
-- they have none of their own (docs/plugins.md). Codes are at most 100 characters: a longer one
-- is its first 91 characters, "~" and an 8-digit hexadecimal hash of the whole code, so it is
-- stable (the same labels give the same code) and unique; the series' name keeps every label.
-- A "|" in a column name or value, and a "=" in a column name, become "/".

M.MAX_CODE = 100

-- Open SDG columns that choose the unit or the series rather than disaggregate.
M.UNIT_COLUMNS = { ["Units"] = true, ["Unit measure"] = true, ["UNIT_MEASURE"] = true }
M.SERIES_COLUMNS = { ["Series"] = true, ["SERIES"] = true }

-- 32-bit FNV-1a of s, as 8 hexadecimal digits.
local function hash8(s)
  local h = 0x811c9dc5
  for i = 1, #s do
    h = ((h ~ s:byte(i)) * 0x01000193) & 0xffffffff
  end
  return string.format("%08x", h)
end

--- Builds a data series code from a base code ("SDG:11.6.2", "8.3.1.1") and a list of
-- {column, value} pairs; always at most M.MAX_CODE bytes (a longer base is shortened too).
function M.make_code(base, quals)
  local parts = { base }
  for _, q in ipairs(quals) do
    parts[#parts + 1] = q[1]:gsub("[|=]", "/") .. "=" .. q[2]:gsub("|", "/")
  end
  local code = table.concat(parts, "|")
  if #code <= M.MAX_CODE then
    return code
  end
  -- cut at a UTF-8 character boundary so the code stays valid text
  local cut = M.MAX_CODE - 9
  while cut > 0 and (code:byte(cut + 1) or 0) & 0xC0 == 0x80 do
    cut = cut - 1
  end
  return code:sub(1, cut) .. "~" .. hash8(code)
end

--- Splits any series code at its qualifiers: the base code and the list of {column, value}.
function M.split_code(code)
  local base, rest = code:match("^([^|]+)(.*)$")
  if not base then
    return code, {}
  end
  local quals = {}
  for part in rest:gmatch("|([^|]*)") do
    local k, v = part:match("^([^=]*)=(.*)$")
    quals[#quals + 1] = { k or part, v or "" }
  end
  return base, quals
end

--- Splits a data series code: returns the indicator number and the list of {column, value}, or
-- nil when code is not an "SDG:" code.
function M.parse_code(code)
  local base, quals = M.split_code(code)
  local number = base:match("^SDG:(.+)$")
  if not number then
    return nil
  end
  return number, quals
end

return M
