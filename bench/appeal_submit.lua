-- wrk script of the appeal submission scenario (bench/run, "Appeals"): POST /api/v1/appeals with
-- the bearer tokens of the villagers listed in $GZ_TOKENS (one a line), taken in turn, so that each
-- villager stays well under the open-appeal limit the scenario sets.
local tokens = {}
for line in io.lines(os.getenv("GZ_TOKENS")) do
  if line ~= "" then tokens[#tokens + 1] = line end
end
local categories = { "street_lights", "water_supply", "roads", "sanitation", "power_supply", "elderly_care" }
local n = 0
request = function()
  n = n + 1
  local body = '{"category":"' .. categories[n % #categories + 1] ..
    '","text":"村口第二个路灯不亮，晚上回家看不见路，老人孩子出门很不方便，请尽快修理。"}'
  return wrk.format("POST", "/api/v1/appeals", {
    ["Authorization"] = "Bearer " .. tokens[n % #tokens + 1],
    ["Content-Type"] = "application/json",
  }, body)
end
