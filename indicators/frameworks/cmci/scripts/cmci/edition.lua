--- The editions of the CMCI: which pillars the index has in which year, and the codes of the
-- published scores (indicators/published.yml). The framework's YAML has no key for the year a
-- pillar enters, so it lives here, beside the scoring that uses it. A new pillar is one more line.
return {
  -- the year the index first has each pillar, in the framework's pillar order
  pillars = {
    { id = "ED", from = 2014 },  -- Economic Dynamism
    { id = "GE", from = 2014 },  -- Government Efficiency
    { id = "INF", from = 2014 }, -- Infrastructure
    { id = "RES", from = 2017 }, -- Resiliency
    { id = "INN", from = 2022 }, -- Innovation
  },
  -- the data elements holding the published scores
  overall = "DE.CMCI.OVERALL",
  pillar_score = function(pillar_id)
    return "DE.CMCI." .. pillar_id
  end,
  -- the portal publishes every score to 4 decimals
  decimals = 4,
}
