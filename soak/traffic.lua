-- `make soak`'s traffic for wrk (run with one thread): a fixed mix of requests sent at a fixed
-- rate, whatever the latency (as long as it stays under connections / rate seconds).
-- Arguments after `--`: RATE (requests a second), CHILD-IDS file (the CSW's children, one a
-- line), CURSORS file (the team manager's page cursors, one a line).
-- Environment: SOAK_CSW, SOAK_CSW_TOKEN, SOAK_TM_TOKEN.
-- done() prints one JSON line: the figures, the socket errors and every status seen.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } soak_timespec;
  int clock_gettime(int clock, soak_timespec *ts);
]]
local CLOCK_MONOTONIC = 1
local now_ts = ffi.new("soak_timespec")

local function now_seconds()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now_ts)
  return tonumber(now_ts.tv_sec) + tonumber(now_ts.tv_nsec) / 1e9
end

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then
      lines[#lines + 1] = line
    end
  end
  return lines
end

local csw = os.getenv("SOAK_CSW")
local csw_auth = "Bearer " .. os.getenv("SOAK_CSW_TOKEN")
local tm_auth = "Bearer " .. os.getenv("SOAK_TM_TOKEN")
local interval, child_ids, cursors
local sent, page, next_at = 0, 0, nil
statuses = {} -- read by done() through thread:get, hence global

function init(args)
  interval = 1 / tonumber(args[1])
  child_ids = read_lines(args[2])
  cursors = read_lines(args[3])
end

-- The mix, a cycle of 20: 8 reads of a child, 4 overdue-action lists, 4 pages of the team
-- manager's children (walking every page in turn), 1 CSW caseload page, 3 new actions (due a
-- minute later, so that the sweeps find them overdue).
local MIX = {"child", "overdue", "page", "child", "post", "child", "overdue", "page", "child",
             "caseload", "child", "overdue", "page", "post", "child", "overdue", "child", "page",
             "child", "post"}

function request()
  sent = sent + 1
  local kind = MIX[(sent - 1) % #MIX + 1]
  local child = child_ids[sent % #child_ids + 1]
  if kind == "child" then
    return wrk.format("GET", "/v1/children/" .. child, {Authorization = csw_auth})
  elseif kind == "overdue" then
    return wrk.format("GET", "/v1/actions?owner=me&overdue=true&limit=50",
                      {Authorization = csw_auth})
  elseif kind == "page" then
    page = page % (#cursors + 1) + 1
    local path = "/v1/children?limit=50"
    if page > 1 then
      path = path .. "&after=" .. cursors[page - 1]
    end
    return wrk.format("GET", path, {Authorization = tm_auth})
  elseif kind == "caseload" then
    return wrk.format("GET", "/v1/children?limit=50", {Authorization = csw_auth})
  end
  local due = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() + 60)
  local body = string.format(
    '{"title":"Soak","subject":{"type":"child","id":"%s"},"owner_id":"%s","due_at":"%s"}',
    child, csw, due)
  return wrk.format("POST", "/v1/actions",
                    {Authorization = csw_auth, ["Content-Type"] = "application/json"}, body)
end

-- The next free slot of the schedule, in milliseconds from now. After a stall of more than a
-- second the schedule restarts from now rather than catching up in a burst.
function delay()
  local now = now_seconds()
  if next_at == nil or next_at < now - 1 then
    next_at = now
  end
  next_at = next_at + interval
  return math.max(0, (next_at - now) * 1000)
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    parts[#parts + 1] = string.format('"%d":%d', status, n)
  end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,' ..
    '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"statuses":{%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, table.concat(parts, ",")))
end
