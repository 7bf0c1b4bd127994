-- wrk script: each request registers a new case with a unique reference.
-- Needs TERMIJN_TOKEN (a token) and BENCH_RUN (a tag that keeps references
-- unique across runs on the same database) in the environment.
local threads = {}
local token = os.getenv("TERMIJN_TOKEN") or error("TERMIJN_TOKEN is not set")
local run = os.getenv("BENCH_RUN") or "0"

function setup(thread)
	thread:set("tid", #threads)
	table.insert(threads, thread)
end

function init(args)
	counter = 0
	created = 0
	failed = 0
	prefix = string.format("B%s-%d-", run, tid)
	headers = {
		["Content-Type"] = "application/json",
		["Authorization"] = "Bearer " .. token,
	}
end

function request()
	counter = counter + 1
	local body = string.format(
	    '{"workflow":"zelfmelding","reference":"%s%d","team":"jeugd-noord"}',
	    prefix, counter)
	return wrk.format("POST", "/v1/cases", headers, body)
end

function response(status, hdrs, body)
	if status == 201 then
		created = created + 1
	else
		failed = failed + 1
		if failed <= 3 then
			io.stderr:write(string.format("status %d: %s\n", status, body))
		end
	end
end

function done(summary, latency, requests)
	local c, f = 0, 0
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		f = f + t:get("failed")
	end
	io.write(string.format("created=%d failed=%d p50_ms=%.2f p99_ms=%.2f\n",
	    c, f, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
