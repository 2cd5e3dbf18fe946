// Shift files and the roster integer program (GLPK). See roster.hpp and docs/STAFFING.md.
#include "sim/roster.hpp"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include "sim/report.hpp"

namespace cx {
namespace {

constexpr double kDay = 86400.0;

// The plan a roster covers: the scenario's intervals, as clock positions.
struct PlanShape {
  int intervals = 1;
  double interval_s = 3600.0;
  double base_s = 0.0;  // clock time of interval 0
  int days = 1;
  bool wraps = false;  // continuous form: the cycle repeats
};

std::optional<PlanShape> planShape(const Scenario& s, std::string* why) {
  PlanShape p;
  p.intervals = s.intervalsPerDay();
  p.interval_s = s.intervalSeconds();
  if (s.dayStructured()) {
    p.base_s = s.open_s;
    return p;
  }
  const double cycle = p.intervals * p.interval_s;
  const double days = cycle / kDay;
  if (std::abs(days - std::round(days)) > 1e-9 || std::round(days) < 1) {
    if (why)
      *why = fmt::format(
          "rosters need a day-structured scenario or a continuous cycle of whole days; this "
          "scenario's cycle is {} interval(s) of {:g} min ({:g} h): give per-interval lists "
          "covering whole days",
          p.intervals, s.interval_minutes, cycle / 3600.0);
    return std::nullopt;
  }
  p.days = static_cast<int>(std::round(days));
  p.wraps = true;
  return p;
}

// "HH:MM" -> seconds after midnight.
std::optional<double> parseClock(std::string_view text) {
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4))
    return std::nullopt;
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 3600.0 + m * 60.0;
}

std::string clockText(double s) {
  const auto t = static_cast<long>(std::lround(std::fmod(std::fmod(s, kDay) + kDay, kDay)));
  return fmt::format("{:02}:{:02}", t / 3600, t % 3600 / 60);
}

class ShiftReader {
 public:
  ShiftReader(std::string file, const Scenario& scenario) : file_(std::move(file)), sc_(scenario) {
    std::string why;
    if (auto p = planShape(scenario, &why))
      shape_ = *p;
    else
      plan_error_ = why;
  }

  std::vector<ShiftTemplate> read(const toml::table& root) {
    for (auto&& [key, node] : root)
      if (key.str() != "shifts")
        fail(keyLoc(key), std::string(key.str()), "unknown key (expected [[shifts]] tables)");
    if (!plan_error_.empty()) fail({}, "", plan_error_);
    const toml::node* shifts = root.get("shifts");
    const toml::array* arr = shifts ? shifts->as_array() : nullptr;
    if (!arr) {
      fail(shifts ? locOf(*shifts) : SourceLoc{1, 1}, "shifts",
           "expected at least one [[shifts]] table");
    } else {
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string path = fmt::format("shifts[{}]", i);
        if (const toml::table* t = (*arr)[i].as_table())
          readShift(*t, path);
        else
          fail(locOf((*arr)[i]), path, "expected a table ([[shifts]])");
      }
    }
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.loc.line, a.loc.column) < std::tie(b.loc.line, b.loc.column);
    });
    if (!diagnostics_.empty()) throw ScenarioError(diagnostics_);
    return out_;
  }

 private:
  static SourceLoc keyLoc(const toml::key& k) {
    return {static_cast<int>(k.source().begin.line), static_cast<int>(k.source().begin.column)};
  }
  static SourceLoc locOf(const toml::node& n) {
    return {static_cast<int>(n.source().begin.line), static_cast<int>(n.source().begin.column)};
  }
  void fail(SourceLoc loc, const std::string& key, std::string message) {
    diagnostics_.push_back(Diagnostic{file_, loc, key, std::move(message)});
  }

  std::optional<double> number(const toml::table& t, const std::string& path, const char* key) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (auto v = n->value<double>();
        v && (n->is_integer() || n->is_floating_point()) && std::isfinite(*v))
      return *v;
    fail(locOf(*n), path + "." + key, "expected a number");
    return std::nullopt;
  }
  std::optional<int> integer(const toml::table& t, const std::string& path, const char* key) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (n->is_integer() && n->as_integer()->get() >= 0 &&
        n->as_integer()->get() <= std::numeric_limits<int>::max())
      return static_cast<int>(n->as_integer()->get());
    fail(locOf(*n), path + "." + key, "expected an integer >= 0");
    return std::nullopt;
  }
  std::optional<double> clock(const toml::node& n, const std::string& key) {
    if (const auto* s = n.as_string()) {
      if (auto v = parseClock(s->get())) return v;
    } else if (const auto* t = n.as_time()) {
      const toml::time& v = t->get();
      return v.hour * 3600.0 + v.minute * 60.0 + v.second;
    }
    fail(locOf(n), key, "expected a time \"HH:MM\" from 00:00 to 23:59");
    return std::nullopt;
  }
  // Whole intervals in `seconds`, or nullopt (with a diagnostic) when it is not a multiple.
  std::optional<int> intervals(double seconds, SourceLoc loc, const std::string& key,
                               const char* what) {
    const double k = seconds / shape_.interval_s;
    if (k >= 0 && std::abs(k - std::round(k)) < 1e-9) return static_cast<int>(std::round(k));
    fail(loc, key,
         fmt::format("{} must be a whole number of the scenario's {:g}-minute intervals", what,
                     sc_.interval_minutes));
    return std::nullopt;
  }

  void readShift(const toml::table& t, const std::string& path) {
    // Who a template may staff: `channels` (the channels' own agents) or, when the scenario
    // has [[agent_groups]], `groups`.
    const bool grouped = !sc_.agent_groups.empty();
    const char* who = grouped ? "groups" : "channels";
    const std::vector<std::string> known{"name", "start",     "hours",     "breaks",
                                         "cost", "min_count", "max_count", who};
    for (auto&& [key, node] : t)
      if (std::find(known.begin(), known.end(), key.str()) == known.end())
        fail(keyLoc(key), path + "." + std::string(key.str()),
             key.str() == "channels" || key.str() == "groups"
                 ? fmt::format("the scenario's agents are {}: use `{}` to say whom a shift "
                               "may staff",
                               grouped ? "in [[agent_groups]]"
                                       : "the channels' own (no "
                                         "[[agent_groups]])",
                               who)
                 : fmt::format("unknown key (expected one of: name, start, hours, breaks, cost, "
                               "min_count, max_count, {})",
                               who));
    ShiftTemplate s;
    s.loc = locOf(t);
    bool ok = true;
    auto required = [&](const char* key, const char* what) {
      if (t.get(key)) return true;
      fail(s.loc, path + "." + key, fmt::format("missing: {}", what));
      ok = false;
      return false;
    };
    if (required("name", "name = \"early\"")) {
      if (const auto* n = t.get("name")->as_string(); n && !n->get().empty())
        s.name = n->get();
      else
        fail(locOf(*t.get("name")), path + ".name", "expected a non-empty string"), ok = false;
    }
    if (required("start", "start = \"HH:MM\", the clock time the shift starts")) {
      if (auto v = clock(*t.get("start"), path + ".start"))
        s.start_s = *v;
      else
        ok = false;
    }
    if (required("hours", "hours = 8, the shift's length with its breaks")) {
      auto h = number(t, path, "hours");
      if (h && *h > 0 && *h <= 24) {
        if (auto k = intervals(*h * 3600.0, locOf(*t.get("hours")), path + ".hours", "hours"))
          s.length = *k;
        else
          ok = false;
      } else {
        if (h) fail(locOf(*t.get("hours")), path + ".hours", "expected hours in (0, 24]");
        ok = false;
      }
    }
    if (required("cost", "cost = 200, the cost of one agent working the shift")) {
      auto c = number(t, path, "cost");
      if (c && *c >= 0)
        s.cost = *c;
      else {
        if (c) fail(locOf(*t.get("cost")), path + ".cost", "expected a cost >= 0");
        ok = false;
      }
    }
    if (auto v = integer(t, path, "min_count")) s.min_count = *v;
    if (auto v = integer(t, path, "max_count")) {
      s.max_count = *v;
      if (*v < s.min_count)
        fail(locOf(*t.get("max_count")), path + ".max_count",
             fmt::format("expected max_count >= min_count ({})", s.min_count)),
            ok = false;
    }
    if (const toml::node* ch = t.get(who)) {
      const toml::array* arr = ch->as_array();
      const std::vector<std::string> ids = sc_.staffedIds();
      const char* what = grouped ? "agent group" : "channel";
      if (!arr || arr->empty()) {
        fail(locOf(*ch), path + "." + who,
             fmt::format("expected a non-empty array of {} ids", what));
      } else {
        for (std::size_t i = 0; i < arr->size(); ++i) {
          const auto* id = (*arr)[i].as_string();
          if (id && std::find(ids.begin(), ids.end(), id->get()) != ids.end())
            s.channels.push_back(id->get());
          else
            fail(locOf((*arr)[i]), fmt::format("{}.{}[{}]", path, who, i),
                 fmt::format("expected the id of one of the scenario's {}s ({})", what,
                             fmt::join(ids, ", ")));
        }
      }
    }
    if (ok && plan_error_.empty()) checkPlacement(t, path, s);
    if (const toml::node* br = t.get("breaks"); br && ok && plan_error_.empty())
      readBreaks(*br, path, s);
    out_.push_back(std::move(s));
  }

  // In the day form a shift must lie within opening hours.
  void checkPlacement(const toml::table& t, const std::string& path, ShiftTemplate& s) {
    const double offset = std::fmod(s.start_s - shape_.base_s + kDay, kDay);
    auto k = intervals(offset, locOf(*t.get("start")), path + ".start", "the start");
    if (!k || !sc_.dayStructured()) return;
    if (*k + s.length > shape_.intervals)
      fail(
          locOf(*t.get("start")), path + ".start",
          fmt::format("the shift {}–{} is not within opening hours ({}–{})", clockText(s.start_s),
                      clockText(s.start_s + s.length * shape_.interval_s), clockText(shape_.base_s),
                      clockText(shape_.base_s + shape_.intervals * shape_.interval_s)));
  }

  void readBreaks(const toml::node& node, const std::string& path, ShiftTemplate& s) {
    const toml::array* arr = node.as_array();
    if (!arr) {
      fail(locOf(node), path + ".breaks",
           "expected an array of { start = \"HH:MM\", minutes = 30 } tables");
      return;
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const std::string key = fmt::format("{}.breaks[{}]", path, i);
      const toml::table* b = (*arr)[i].as_table();
      if (!b || !b->get("start") || !b->get("minutes")) {
        fail(locOf((*arr)[i]), key, "expected { start = \"HH:MM\", minutes = 30 }");
        continue;
      }
      const auto start = clock(*b->get("start"), key + ".start");
      const auto minutes = number(*b, key, "minutes");
      if (!start || !minutes) continue;
      const double offset = std::fmod(*start - s.start_s + kDay, kDay);
      const auto first =
          intervals(offset, locOf(*b->get("start")), key + ".start", "a break's start");
      const auto count =
          intervals(*minutes * 60.0, locOf(*b->get("minutes")), key + ".minutes", "a break");
      if (!first || !count) continue;
      if (*count < 1 || *first + *count > s.length) {
        fail(locOf(*b), key,
             fmt::format("the break must lie inside the shift ({}–{})", clockText(s.start_s),
                         clockText(s.start_s + s.length * shape_.interval_s)));
        continue;
      }
      for (int j = 0; j < *count; ++j) s.breaks.push_back(*first + j);
    }
    std::sort(s.breaks.begin(), s.breaks.end());
    s.breaks.erase(std::unique(s.breaks.begin(), s.breaks.end()), s.breaks.end());
  }

  std::string file_;
  const Scenario& sc_;
  PlanShape shape_;
  std::string plan_error_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<ShiftTemplate> out_;
};

struct GlpDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};

}  // namespace

bool ShiftTemplate::usableFor(const std::string& channel) const {
  return channels.empty() || std::find(channels.begin(), channels.end(), channel) != channels.end();
}

std::vector<ShiftTemplate> parseShifts(std::string_view toml_text,
                                       const std::string& name_for_errors,
                                       const Scenario& scenario) {
  toml::table root;
  try {
    root = toml::parse(toml_text, name_for_errors);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw ScenarioError({Diagnostic{name_for_errors,
                                    {static_cast<int>(b.line), static_cast<int>(b.column)},
                                    "",
                                    std::string(e.description())}});
  }
  return ShiftReader(name_for_errors, scenario).read(root);
}

std::vector<ShiftTemplate> loadShifts(const std::filesystem::path& file, const Scenario& scenario) {
  std::ifstream in(file);
  if (!in) throw ScenarioError({Diagnostic{file.string(), {}, "", "cannot read the shift file"}});
  std::stringstream ss;
  ss << in.rdbuf();
  return parseShifts(ss.str(), file.string(), scenario);
}

RosterResult solveRoster(const Scenario& scenario, const std::vector<ShiftTemplate>& shifts,
                         const std::vector<std::vector<double>>& required) {
  std::string why;
  const std::optional<PlanShape> shape = planShape(scenario, &why);
  if (!shape) throw std::invalid_argument(why);
  const int K = shape->intervals;
  const std::vector<std::string> ids = scenario.staffedIds();
  const std::size_t C = ids.size();
  if (required.size() != C)
    throw std::invalid_argument(
        fmt::format("requirements for {} {} given, the scenario has {}", required.size(),
                    scenario.agent_groups.empty() ? "channels" : "groups", C));
  for (const auto& r : required)
    if (static_cast<int>(r.size()) != K)
      throw std::invalid_argument(
          fmt::format("requirements for {} intervals given, the scenario has {}", r.size(), K));

  RosterResult res;
  res.ids = ids;
  res.days = shape->days;
  res.required = required;

  // Shift instances: template × day, with the plan intervals each one works.
  struct Instance {
    int shift, day, start;
    std::vector<int> worked, on_duty;  // plan intervals (breaks excluded / included)
  };
  std::vector<Instance> inst;
  for (std::size_t s = 0; s < shifts.size(); ++s) {
    const ShiftTemplate& t = shifts[s];
    for (int d = 0; d < shape->days; ++d) {
      const double offset = std::fmod(t.start_s - shape->base_s + kDay, kDay) + d * kDay;
      Instance in{static_cast<int>(s),
                  d,
                  static_cast<int>(std::lround(offset / shape->interval_s)),
                  {},
                  {}};
      for (int j = 0; j < t.length; ++j) {
        int k = in.start + j;
        if (shape->wraps) k %= K;
        if (k >= K) continue;  // day form: checked when read; code-built templates are clipped
        in.on_duty.push_back(k);
        if (!std::binary_search(t.breaks.begin(), t.breaks.end(), j)) in.worked.push_back(k);
      }
      inst.push_back(std::move(in));
    }
  }

  // Needs, and intervals no allowed staffing can reach (a clear message beats "infeasible").
  std::vector<std::vector<int>> need(C, std::vector<int>(K, 0));
  std::vector<std::string> unreachable;
  for (std::size_t c = 0; c < C; ++c)
    for (int k = 0; k < K; ++k) {
      const double r = required[c][k];
      if (!(r >= 0.0) || !std::isfinite(r))
        throw std::invalid_argument(
            fmt::format("requirement for {} interval {} is {}", ids[c], k, r));
      need[c][k] = static_cast<int>(std::ceil(r - 1e-9));
      if (need[c][k] == 0) continue;
      double cap = 0.0;
      for (const Instance& in : inst)
        if (shifts[in.shift].usableFor(ids[c]) &&
            std::find(in.worked.begin(), in.worked.end(), k) != in.worked.end())
          cap += shifts[in.shift].max_count ? *shifts[in.shift].max_count
                                            : std::numeric_limits<double>::infinity();
      if (cap < need[c][k])
        unreachable.push_back(
            cap == 0.0 ? fmt::format("{} {} needs {} but no shift template works it", ids[c],
                                     intervalLabel(scenario, k), need[c][k])
                       : fmt::format("{} {} needs {} but the templates working it allow at most {}",
                                     ids[c], intervalLabel(scenario, k), need[c][k], cap));
    }
  res.coverage.assign(C, std::vector<int>(K, 0));
  res.cost_per_interval.assign(K, 0.0);
  auto finishInfeasible = [&](std::string message) {
    res.feasible = false;
    res.message = std::move(message);
    for (std::size_t c = 0; c < C; ++c)
      for (int k = 0; k < K; ++k) res.under_agent_intervals += required[c][k];
    return res;
  };
  if (!unreachable.empty()) {
    std::string msg = "no roster from these shift templates covers the requirement: ";
    for (std::size_t i = 0; i < unreachable.size() && i < 8; ++i)
      msg += (i ? "; " : "") + unreachable[i];
    if (unreachable.size() > 8)
      msg += fmt::format("; and {} more interval(s)", unreachable.size() - 8);
    return finishInfeasible(msg);
  }

  // The integer program.
  std::unique_ptr<glp_prob, GlpDeleter> lp(glp_create_prob());
  glp_prob* P = lp.get();
  glp_set_obj_dir(P, GLP_MIN);
  struct Column {
    int instance;
    int channel;
  };
  std::vector<Column> cols;
  for (std::size_t i = 0; i < inst.size(); ++i)
    for (std::size_t c = 0; c < C; ++c)
      if (shifts[inst[i].shift].usableFor(ids[c]))
        cols.push_back({static_cast<int>(i), static_cast<int>(c)});
  if (cols.empty())
    return finishInfeasible(scenario.agent_groups.empty()
                                ? "no shift template may serve any channel"
                                : "no shift template may serve any group");
  glp_add_cols(P, static_cast<int>(cols.size()));
  for (std::size_t j = 0; j < cols.size(); ++j) {
    const ShiftTemplate& t = shifts[inst[cols[j].instance].shift];
    const int col = static_cast<int>(j) + 1;
    glp_set_col_kind(P, col, GLP_IV);
    if (t.max_count)
      glp_set_col_bnds(P, col, *t.max_count > 0 ? GLP_DB : GLP_FX, 0.0, *t.max_count);
    else
      glp_set_col_bnds(P, col, GLP_LO, 0.0, 0.0);
    glp_set_obj_coef(P, col, t.cost);
  }
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0.0};
  auto addRow = [&](int type, double lo, double hi, const std::vector<int>& columns) {
    const int row = glp_add_rows(P, 1);
    glp_set_row_bnds(P, row, type, lo, hi);
    for (int col : columns) {
      ia.push_back(row);
      ja.push_back(col);
      ar.push_back(1.0);
    }
  };
  for (std::size_t c = 0; c < C; ++c)
    for (int k = 0; k < K; ++k) {
      if (need[c][k] == 0) continue;
      std::vector<int> columns;
      for (std::size_t j = 0; j < cols.size(); ++j) {
        const Instance& in = inst[cols[j].instance];
        if (cols[j].channel == static_cast<int>(c) &&
            std::find(in.worked.begin(), in.worked.end(), k) != in.worked.end())
          columns.push_back(static_cast<int>(j) + 1);
      }
      addRow(GLP_LO, need[c][k], 0.0, columns);
    }
  for (std::size_t i = 0; i < inst.size(); ++i) {  // per-day counts, summed over channels
    const ShiftTemplate& t = shifts[inst[i].shift];
    std::vector<int> columns;
    for (std::size_t j = 0; j < cols.size(); ++j)
      if (cols[j].instance == static_cast<int>(i)) columns.push_back(static_cast<int>(j) + 1);
    if (columns.empty()) continue;
    const bool has_max = t.max_count && columns.size() > 1;
    if (t.min_count > 0 && t.max_count)
      addRow(t.min_count == *t.max_count ? GLP_FX : GLP_DB, t.min_count, *t.max_count, columns);
    else if (t.min_count > 0)
      addRow(GLP_LO, t.min_count, 0.0, columns);
    else if (has_max)
      addRow(GLP_UP, 0.0, *t.max_count, columns);
  }
  glp_load_matrix(P, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());

  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.presolve = GLP_ON;
  parm.msg_lev = GLP_MSG_OFF;
  parm.tm_lim = 120000;  // ms; a plan this size normally takes well under a second
  const int rc = glp_intopt(P, &parm);
  const int status = glp_mip_status(P);
  if (rc == GLP_ENOPFS || rc == GLP_ENOFEAS || status == GLP_NOFEAS)
    return finishInfeasible(
        "no roster from these shift templates covers the requirement within their max_count "
        "limits (templates shared between channels are counted once per day)");
  if (status != GLP_OPT && status != GLP_FEAS)
    throw std::runtime_error(fmt::format("GLPK failed on the roster (glp_intopt returned {})", rc));
  if (status == GLP_FEAS)
    res.message = "GLPK time limit reached: the best roster found is reported, maybe not optimal";

  res.feasible = true;
  for (std::size_t j = 0; j < cols.size(); ++j) {
    const int count = static_cast<int>(std::lround(glp_mip_col_val(P, static_cast<int>(j) + 1)));
    if (count <= 0) continue;
    const Instance& in = inst[cols[j].instance];
    const ShiftTemplate& t = shifts[in.shift];
    res.lines.push_back({in.shift, in.day, cols[j].channel, count, in.start});
    res.cost += count * t.cost;
    for (int k : in.worked) res.coverage[cols[j].channel][k] += count;
    for (int k : in.on_duty) res.cost_per_interval[k] += count * t.cost / t.length;
  }
  for (std::size_t c = 0; c < C; ++c)
    for (int k = 0; k < K; ++k) {
      const double d = res.coverage[c][k] - required[c][k];
      (d > 0 ? res.over_agent_intervals : res.under_agent_intervals) += std::abs(d);
    }
  return res;
}

}  // namespace cx
