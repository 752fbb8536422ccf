-- Worked examples for methods/impute.lua (COINr impute_panel "latest" and "linear"; starter
-- framework C.4: carry forward at most 3 years, always flagged).
local check = require("helpers.check")
local impute = require("methods.impute")

local series = {
  { year = 2019, value = 10 },
  { year = 2021, value = 14 },
  { year = 2023, value = 20 },
  { year = 2024, value = 0 / 0 },   -- no numeric value: skipped
}

local T = {}

function T.locf_observed_year()
  -- observed year: the value itself, not imputed
  local v, period, note, imputed = impute.locf(series, 2021)
  check.equal(v, 14)
  check.equal(period, 2021)
  check.is_nil(note)
  check.equal(imputed, false)
end

function T.locf_carries_forward()
  -- carried forward: 2025 takes 2023's value (2 years, within the default 3)
  local v, period, note, imputed = impute.locf(series, 2025)
  check.equal(v, 20)
  check.equal(period, 2023)
  check.equal(note, "carried forward from 2023")
  check.equal(imputed, true)
  -- 2022 takes 2021's value
  v, period = impute.locf(series, 2022)
  check.equal(v, 14)
  check.equal(period, 2021)
end

function T.locf_too_old()
  -- too old: 2027 is 4 years after 2023
  local v, why = impute.locf(series, 2027)
  check.is_nil(v)
  check.equal(why, "the latest observation (2023) is more than 3 years before 2027")
end

function T.locf_census_carries_5_years()
  -- a census-based indicator may carry 5 years
  local v, period, note, imputed = impute.locf(series, 2027, 5)
  check.equal(v, 20)
  check.equal(imputed, true)
end

function T.locf_max_years_0()
  -- max_years = 0: observed years only
  local v, why = impute.locf(series, 2022, 0)
  check.is_nil(v)
  check.equal(why, "the latest observation (2021) is more than 0 years before 2022")
end

function T.locf_nothing_before()
  -- nothing before the year
  local v, why = impute.locf(series, 2018)
  check.is_nil(v)
  check.equal(why, "no observation in or before 2018")
end

function T.interpolate_between_observations()
  -- interpolation between 2021 (14) and 2023 (20): 14 + (20 - 14) × (2022 - 2021)/(2023 - 2021) = 17
  local v, note, imputed = impute.interpolate(series, 2022)
  check.near(v, 17)
  check.equal(note, "interpolated between 2021 and 2023")
  check.equal(imputed, true)
  -- 2020 between 2019 (10) and 2021 (14): 12
  check.near(impute.interpolate(series, 2020), 12)
  -- an uneven gap: {2015: 100, 2019: 80}, 2016: 100 + (80 - 100) × 1/4 = 95
  check.near(impute.interpolate({ { year = 2015, value = 100 }, { year = 2019, value = 80 } }, 2016), 95)
end

function T.interpolate_observed_year()
  -- observed
  local v, note, imputed = impute.interpolate(series, 2023)
  check.equal(v, 20)
  check.is_nil(note)
  check.equal(imputed, false)
end

function T.interpolate_does_not_extrapolate()
  -- no extrapolation (2024's NaN does not count as an observation)
  local v, why = impute.interpolate(series, 2024)
  check.is_nil(v)
  check.equal(why, "no observation after 2024 to interpolate towards")
  v, why = impute.interpolate(series, 2010)
  check.is_nil(v)
  check.equal(why, "no observation before 2010 to interpolate from")
end

function T.interpolate_ignores_order()
  -- order of the series does not matter
  check.near(impute.interpolate({ { year = 2023, value = 20 }, { year = 2021, value = 14 } }, 2022), 17)
end

function T.bad_arguments()
  check.fails("year must be a number", impute.locf, series, nil)
  check.fails("series must be a list", impute.interpolate, nil, 2020)
end

return T
