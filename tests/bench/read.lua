-- wrk script: each request reads a random case, as a caseworker does.
-- Needs TERMIJN_TOKEN and CASES (the number of cases, ids 1 to CASES).
local threads = {}
local token = os.getenv("TERMIJN_TOKEN") or error("TERMIJN_TOKEN is not set")
local cases = tonumber(os.getenv("CASES") or error("CASES is not set"))

function setup(thread)
	thread:set("tid", #threads)
	table.insert(threads, thread)
end

function init(args)
	math.randomseed(tid + 1)
	ok = 0
	failed = 0
	headers = { ["Authorization"] = "Bearer " .. token }
end

function request()
	return wrk.format("GET", "/v1/cases/" .. math.random(cases), headers)
end

function response(status, hdrs, body)
	if status == 200 then
		ok = ok + 1
	else
		failed = failed + 1
		if failed <= 3 then
			io.stderr:write(string.format("status %d: %s\n", status, body))
		end
	end
end

function done(summary, latency, requests)
	local o, f = 0, 0
	for _, t in ipairs(threads) do
		o = o + t:get("ok")
		f = f + t:get("failed")
	end
	io.write(string.format("read=%d failed=%d p50_ms=%.2f p99_ms=%.2f\n",
	    o, f, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
