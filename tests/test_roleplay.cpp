// Role-play training: the script format and its checks, the engine's scoring and branching, the
// best-path search, trainee records and the terminal command (docs/ROLEPLAY.md).
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/roleplay.hpp"
#include "sim/roleplay_records.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace cx;
using cx::test::sourcePath;

namespace {

std::vector<fs::path> tomlFiles(const std::string& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(sourcePath(dir)))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

double score(const SessionSummary& s, Dimension d) {
  const auto& v = s.scores[static_cast<std::size_t>(d)];
  REQUIRE(v.has_value());
  return *v;
}

// Plays 1-based `choices`, each answered after `seconds` (one value for all, or one each).
SessionSummary play(const RoleplayScript& script, const std::vector<int>& choices,
                    std::vector<double> seconds = {0.0}) {
  RoleplaySession session(script);
  for (std::size_t i = 0; i < choices.size() && !session.finished(); ++i)
    session.choose(choices[i] - 1, seconds.size() == 1 ? seconds[0] : seconds.at(i));
  REQUIRE(session.finished());
  return session.summary();
}

// The highest overall score of any path (answered at once) that passes the checks the search
// applies: reaches an ending with no breach. Enumerates every path, breaches included.
double bruteForceBest(const RoleplaySession& session) {
  if (session.finished()) {
    const SessionSummary s = session.summary();
    return s.ending == Ending::Reached && s.breaches.empty() ? s.overall : -1.0;
  }
  double best = -1.0;
  for (std::size_t i = 0; i < session.current().choices.size(); ++i) {
    RoleplaySession next = session;
    next.choose(static_cast<int>(i), 0.0);
    best = std::max(best, bruteForceBest(next));
  }
  return best;
}
double bruteForceBest(const RoleplayScript& script) {
  return bruteForceBest(RoleplaySession(script));
}

std::string endingId(const RoleplayScript& script, const SessionSummary& s) {
  REQUIRE(std::string(toString(s.ending)) == "reached");
  return script.nodes[static_cast<std::size_t>(s.ending_node)].id;
}

// A small script written in the test: the same choice leads to different nodes depending on
// mood, on the running empathy points and on a variable.
constexpr const char* kBranchingScript = R"toml(
[script]
title = "Branching"
level = "easy"
start = "ask"
situation = "Test."
limit_s = 10

[persona]
name = "Sam"
mood = 0.5
patience_s = 10
channel = "chat"

[variables]
offered = false
tries = 0

[nodes.ask]
customer = "Well?"

[[nodes.ask.choices]]
text = "Sorry."
mood = -0.1
scores = { empathy = 2 }
feedback = "f"
set = { offered = true }
add = { tries = 1 }
next = "end_neutral"
branches = [
  { when = "mood < 0.3", next = "end_angry" },
  { when = "empathy >= 2 and offered and tries == 1", next = "end_warm" },
]

[[nodes.ask.choices]]
text = "No."
mood = -0.1
scores = { empathy = -1 }
feedback = "f"
next = "end_neutral"
branches = [{ when = "mood < 0.3 or not (offered == false)", next = "end_angry" }]

[nodes.end_angry]
customer = "Bye!"
ending = true
outcome = "angry"

[nodes.end_warm]
customer = "Thanks."
ending = true
outcome = "warm"
resolved = true

[nodes.end_neutral]
customer = "Ok."
ending = true
outcome = "neutral"
)toml";

// A caller on hold: "hold" loops until the trainee asks for the date of birth (two answers
// from an ending), or changes the address without it (a breach). max_turns is low so that
// going round the loop is cut.
constexpr const char* kHoldScript = R"toml(
[script]
title = "Hold"
level = "easy"
start = "ask"
situation = "Test."
max_turns = 6

[persona]
name = "Sam"
mood = 0.5
patience_s = 30
leaves_below = 0
channel = "phone"

[[compliance]]
id = "verify_identity"
rule = "Verify identity before changing an address."

[variables]
verified = false

[nodes.ask]
customer = "Can you change my address?"

[[nodes.ask.choices]]
text = "Of course: your date of birth first, please."
scores = { professionalism = 1 }
feedback = "f"
set = { verified = true }
next = "change"

[[nodes.ask.choices]]
text = "Please hold."
feedback = "f"
next = "hold"

[nodes.hold]
customer = "Hello? Still there?"

[[nodes.hold.choices]]
text = "Thanks for holding: all changed."
feedback = "f"
next = "hold"
branches = [{ when = "verified", next = "done" }]

[[nodes.hold.choices]]
text = "Sorry for the wait: your date of birth, please?"
feedback = "f"
set = { verified = true }
next = "change"

[[nodes.hold.choices]]
text = "Changed, no need to check anything."
feedback = "f"
breaches = ["verify_identity"]
next = "done"

[nodes.change]
customer = "12 March 1980."

[[nodes.change.choices]]
text = "Thank you: your address is changed."
feedback = "f"
next = "done"

[nodes.done]
customer = "Thanks."
ending = true
outcome = "done"
resolved = true
)toml";

// Sets (or, with nullptr, unsets) an environment variable for the scope, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_.c_str(), old_->c_str(), 1);
    else
      unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("roleplay: every shipped script passes the checks and is a real exercise") {
  const auto files = tomlFiles("scenarios/roleplay");
  CHECK(files.size() >= 10);
  std::set<std::string> titles;
  std::set<Level> levels;
  int score_branches = 0;  // branches whose condition reads a running rubric score
  for (const fs::path& f : files) {
    CAPTURE(f.filename().string());
    RoleplayScript s;
    try {
      s = loadRoleplayScript(f);
    } catch (const RoleplayScriptError& e) {
      std::string all;
      for (const Diagnostic& d : e.diagnostics()) all += d.format() + "\n";
      FAIL(all);
    }
    CHECK(titles.insert(s.title).second);
    levels.insert(s.level);
    CHECK(!s.compliance.empty());
    int endings = 0, resolved = 0, branching = 0;
    for (const ScriptNode& n : s.nodes) {
      CAPTURE(n.id);
      if (n.ending) {
        ++endings;
        resolved += n.resolved ? 1 : 0;
        continue;
      }
      CHECK(n.choices.size() >= 3);
      CHECK(n.choices.size() <= 4);
      for (const Choice& c : n.choices) {
        branching += c.branches.empty() ? 0 : 1;
        for (const Branch& b : c.branches) {
          std::string word;
          for (char ch : b.when + " ") {
            if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') {
              word += ch;
              continue;
            }
            if (dimensionFromString(word)) ++score_branches;
            word.clear();
          }
        }
      }
    }
    CHECK(endings >= 3);  // good, mediocre and bad outcomes
    CHECK(resolved >= 1);
    CHECK(branching >= 1);  // at least one branch on mood, scores or variables
  }
  CHECK(levels.size() == 3);
  CHECK(score_branches >= 1);  // broken_promise.toml: empathy earns a second chance
  // The ten situations of the training plan, each in its own file.
  std::set<std::string> names;
  for (const fs::path& f : files) names.insert(f.filename().string());
  for (const char* expected : {
           "broken_item.toml",          // a broken item on delivery
           "late_delivery.toml",        // a late delivery told proactively vs discovered
           "billing_dispute.toml",      // a billing dispute
           "bot_loop.toml",             // a customer stuck in a bot loop
           "chat_then_call.toml",       // explained everything on chat, now calls
           "refund_policy_no.toml",     // a refund the policy says no to
           "angry_social_post.toml",    // an angry public post on social media
           "vulnerable_customer.toml",  // a vulnerable customer
           "tech_fault.toml",           // a technical fault needing several steps
           "broken_promise.toml",       // a broken follow-up promise
       }) {
    CAPTURE(expected);
    CHECK(names.count(expected) == 1);
  }
}

TEST_CASE("roleplay: the example in docs/ROLEPLAY.md is a valid script") {
  std::ifstream in(sourcePath("docs/ROLEPLAY.md"));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const auto begin = doc.find("```toml\n");
  REQUIRE(begin != std::string::npos);
  const auto end = doc.find("```", begin + 8);
  const RoleplayScript s = parseRoleplayScript(doc.substr(begin + 8, end - begin - 8), "doc");
  CHECK(s.nodes.size() == 5);
  const auto best = findBestPath(s);
  REQUIRE(best.has_value());
  CHECK(best->choices == std::vector<int>{0, 0});
  // The breach path: resolved, but failed.
  const SessionSummary breach = play(s, {2, 1});
  CHECK(endingId(s, breach) == "end_risky");
  CHECK_FALSE(breach.passed);
}

TEST_CASE("roleplay: broken scripts give their expected errors, with file and line") {
  const auto files = tomlFiles("tests/bad_roleplay");
  CHECK(files.size() >= 8);
  for (const fs::path& f : files) {
    CAPTURE(f.filename().string());
    std::vector<std::string> expected;
    std::ifstream in(f);
    for (std::string line; std::getline(in, line) && line.rfind('#', 0) == 0;)
      if (line.rfind("# expect: ", 0) == 0) expected.push_back(line.substr(10));
    REQUIRE(!expected.empty());
    std::vector<Diagnostic> found;
    try {
      loadRoleplayScript(f);
    } catch (const RoleplayScriptError& e) {
      found = e.diagnostics();
    }
    std::string all;
    for (const Diagnostic& d : found) all += d.format() + "\n";
    CAPTURE(all);
    CHECK(found.size() == expected.size());
    for (const std::string& e : expected) {
      CAPTURE(e);
      CHECK(std::any_of(found.begin(), found.end(), [&](const Diagnostic& d) {
        return (d.format()).find(f.string() + ":" + e) == 0;
      }));
    }
  }
}

TEST_CASE("roleplay: the best path of every script scores high and ends with the customer calm") {
  for (const fs::path& f : tomlFiles("scenarios/roleplay")) {
    CAPTURE(f.filename().string());
    const RoleplayScript s = loadRoleplayScript(f);
    const auto best = findBestPath(s);
    REQUIRE(best.has_value());
    CHECK(best->exhaustive);
    CHECK(best->summary.passed);
    CHECK(best->summary.resolved);
    CHECK(best->summary.overall >= 90.0);
    CHECK(best->summary.mood.back() >= kCalmMood);
    // Replaying its choices gives the same result: the search and the session agree.
    std::vector<int> one_based;
    for (int c : best->choices) one_based.push_back(c + 1);
    const SessionSummary replay = play(s, one_based);
    CHECK(replay.overall == doctest::Approx(best->summary.overall));
    // An independent brute force over every path agrees with the search.
    CHECK(bruteForceBest(s) == doctest::Approx(best->summary.overall));
  }
}

TEST_CASE("roleplay: a compliance breach fails the session whatever the score") {
  const RoleplayScript s = loadRoleplayScript(sourcePath("scenarios/roleplay/broken_item.toml"));
  const SessionSummary good = play(s, {1, 1, 1, 1});
  CHECK(good.passed);
  CHECK(good.breaches.empty());
  // The same conversation, but the agent reads the address and card back before verifying.
  const SessionSummary breach = play(s, {1, 2, 1, 1});
  CHECK(std::string(toString(breach.ending)) == "reached");
  CHECK(breach.resolved);
  CHECK(breach.overall >= s.pass_mark);  // high score, still a fail
  CHECK_FALSE(breach.passed);
  REQUIRE(breach.breaches.size() == 1);
  CHECK(breach.breaches[0] == "verify_identity");
  CHECK(breach.transcript[1].breaches == std::vector<std::string>{"verify_identity"});
}

TEST_CASE("roleplay: slow answers lower promptness and the customer's mood") {
  const RoleplayScript s = loadRoleplayScript(sourcePath("scenarios/roleplay/broken_item.toml"));
  const SessionSummary fast = play(s, {1, 1, 1, 1}, {5.0});
  const SessionSummary slow = play(s, {1, 1, 1, 1}, {45.0});  // limits: 20 s, then 30 s
  CHECK(score(fast, Dimension::Promptness) == 100.0);
  // 45 s against 20 s is past twice the limit (0); against 30 s it is 50.
  CHECK(score(slow, Dimension::Promptness) == doctest::Approx((0.0 + 3 * 50.0) / 4));
  CHECK(slow.transcript[0].promptness == 0.0);
  CHECK(slow.transcript[1].promptness == doctest::Approx(50.0));
  CHECK(slow.overall < fast.overall);
  CHECK(slow.mood.back() < fast.mood.back());
  // The other dimensions do not depend on time.
  CHECK(score(slow, Dimension::Empathy) == score(fast, Dimension::Empathy));
  // The formula at its edges.
  CHECK(promptnessScore(20, 20) == 100.0);
  CHECK(promptnessScore(30, 20) == doctest::Approx(50.0));
  CHECK(promptnessScore(40, 20) == 0.0);
  CHECK(slownessMoodCost(50, 20, 30) == doctest::Approx(0.1));
  CHECK(slownessMoodCost(500, 20, 30) == doctest::Approx(0.3));
}

TEST_CASE("roleplay: dimension scores measure the points taken against what each node offered") {
  const RoleplayScript s = loadRoleplayScript(sourcePath("scenarios/roleplay/broken_item.toml"));
  // Opening choice 2 (empathy -1 where the choices range from -2 to 2), then the best answers:
  // empathy is taken 1 of 4 at the opening, 0 of 0 at verify (no choice scores it), 1 of 1 at
  // options (1 against 0, 0), 0 of 0 at wrap_up.
  const SessionSummary s2 = play(s, {2, 1, 1, 1});
  CHECK(score(s2, Dimension::Empathy) == doctest::Approx(100.0 * (1 + 1) / (4 + 1)));
  CHECK(score(play(s, {1, 1, 1, 1}), Dimension::Empathy) == 100.0);
  // A dimension that no visited node could tell apart has no score rather than a made-up one.
  const SessionSummary complaint = play(s, {3, 3});
  CHECK_FALSE(complaint.scores[static_cast<std::size_t>(Dimension::Ownership)].has_value());
}

TEST_CASE("roleplay: branches follow mood, running scores and variables, not only the choice") {
  const RoleplayScript s = parseRoleplayScript(kBranchingScript, "branching.toml");
  SUBCASE("same choice, different mood") {
    RoleplayScript calm = s, upset = s;
    calm.persona.mood = 0.5;
    upset.persona.mood = 0.35;  // -0.1 takes it below 0.3
    CHECK(endingId(calm, play(calm, {1})) == "end_warm");
    CHECK(endingId(upset, play(upset, {1})) == "end_angry");
    // Slowness costs mood too: 10 s over a 10 s limit with patience 10 s is -0.1.
    CHECK(endingId(calm, play(calm, {1}, {20.0})) == "end_warm");
    CHECK(endingId(calm, play(calm, {1}, {100.0})) == "end_angry");
  }
  SUBCASE("conditions on points and variables") {
    CHECK(endingId(s, play(s, {2})) == "end_neutral");
    RoleplayScript s2 = s;
    s2.variables[0].initial = 1.0;  // offered = true from the start
    CHECK(endingId(s2, play(s2, {2})) == "end_angry");
  }
  SUBCASE("a shipped script branches on mood") {
    const RoleplayScript b = loadRoleplayScript(sourcePath("scenarios/roleplay/broken_item.toml"));
    // "There's no need to raise your voice" after the accusation: the customer is at 0.2 -
    // 0.25 -> 0 and complains; answered at once after the good opening it would not be reached.
    CHECK(endingId(b, play(b, {3, 3})) == "end_complaint");
    // After the better opening of "defensive" the same third answer continues the call.
    CHECK(endingId(b, play(b, {3, 1, 1, 1, 1})) == "end_resolved");
  }
  SUBCASE("a shipped script branches on a running score") {
    const RoleplayScript b =
        loadRoleplayScript(sourcePath("scenarios/roleplay/broken_promise.toml"));
    // "The earliest I can see is Thursday": after the full apology (empathy 2 so far) she
    // asks once more and the trainee can recover; after the generic opening she hangs up.
    const SessionSummary heard = play(b, {1, 1, 3, 1, 1});
    CHECK(b.nodes[static_cast<std::size_t>(heard.transcript[3].node)].id == "thursday");
    CHECK(endingId(b, heard) == "end_resolved");
    CHECK(endingId(b, play(b, {2, 1, 3})) == "end_unresolved");
    // It is the score, not the mood: started 0.15 higher, the generic opening reaches the same
    // mood (0.20) at "Thursday" as the apology does, and the call still ends there.
    RoleplayScript calmer = b;
    calmer.persona.mood += 0.15;
    const SessionSummary generic = play(calmer, {2, 1, 3});
    CHECK(generic.mood.back() == doctest::Approx(play(b, {1, 1, 3, 2}).mood[3]));
    CHECK(endingId(calmer, generic) == "end_unresolved");
  }
}

TEST_CASE("roleplay: the customer leaves when mood falls below leaves_below") {
  RoleplayScript s = parseRoleplayScript(kBranchingScript, "branching.toml");
  // A middle node so that the conversation can end by the customer leaving.
  s.nodes[0].choices[1].next = "ask";
  s.nodes[0].choices[1].branches.clear();
  s.persona.leaves_below = 0.25;
  RoleplaySession session(s);
  session.choose(1, 0.0);  // 0.4
  session.choose(1, 0.0);  // 0.3
  CHECK_FALSE(session.finished());
  session.choose(1, 0.0);  // 0.2 < 0.25
  REQUIRE(session.finished());
  CHECK(std::string(toString(session.summary().ending)) == "customer_left");
  CHECK_FALSE(session.summary().passed);
  CHECK_THROWS_AS(session.choose(0, 0.0), std::logic_error);
}

TEST_CASE("roleplay: the checks find where a conversation can get stuck on its conditions") {
  const RoleplayScript ok = parseRoleplayScript(kHoldScript, "hold.toml");
  SUBCASE("a loop with a way out is not a dead end") {
    CHECK(checkRoleplayScript(ok).empty());
    const DeadEndSearch search = findDeadEnds(ok);
    CHECK(search.exhaustive);
    CHECK(search.states > 0);
    CHECK(search.dead_ends.empty());
    // Going round it is the trainee's doing, and max_turns cuts it, as it is there to.
    CHECK(std::string(toString(play(ok, {2, 1, 1, 1, 1, 1}).ending)) == "turn_limit");
    // Only the slack tells that apart: with none, the last turns before max_turns (where the
    // way out is one answer too long) would look like a trap.
    CHECK_FALSE(findDeadEnds(ok, 0).dead_ends.empty());
  }
  SUBCASE("the way out is a branch that never holds for a conversation that gets there") {
    RoleplayScript trap = ok;
    // Without "your date of birth, please?", "hold" is left only through the `verified`
    // branch, which nothing on the way in sets, or through a breach.
    auto& hold = trap.nodes[static_cast<std::size_t>(trap.nodeIndex("hold"))].choices;
    hold.erase(hold.begin() + 1);
    const DeadEndSearch search = findDeadEnds(trap);
    CHECK(search.exhaustive);
    REQUIRE(search.dead_ends.size() == 1);
    const DeadEnd& d = search.dead_ends[0];
    CHECK(trap.nodes[static_cast<std::size_t>(d.node)].id == "hold");
    CHECK(d.choices == std::vector<int>{1});
    CHECK(d.state.turn == 1);
    CHECK(d.state.variables == std::vector<double>{0.0});
    // The graph alone sees a way out of every node; the validator now says where it is stuck.
    const std::vector<Diagnostic> found = checkRoleplayScript(trap);
    REQUIRE(found.size() == 1);
    CHECK(found[0].key == "nodes.hold");
    CHECK(found[0].message.find("a conversation can get stuck here: after choices 2 (turn 1, "
                                "mood 0.50, verified = false), no answer without a compliance "
                                "breach can lead to an ending any more, so it goes on until "
                                "max_turns (6) cuts it") == 0);
    // What it warns of: played, the conversation is cut at max_turns without an ending ...
    CHECK(std::string(toString(play(trap, {2, 1, 1, 1, 1, 1}).ending)) == "turn_limit");
    // ... unless the trainee breaks the rule, which is no way out for a trainee.
    const SessionSummary breach = play(trap, {2, 2});
    CHECK(endingId(trap, breach) == "done");
    CHECK_FALSE(breach.passed);
    // A conversation that never goes on hold is fine: the script is still completable.
    CHECK(play(trap, {1, 1}).passed);
  }
  SUBCASE("a branch condition that can never hold is an error") {
    auto withCondition = [](const std::string& when) {
      std::string text = kHoldScript;
      const std::string from = "when = \"verified\"";
      text.replace(text.find(from), from.size(), "when = \"" + when + "\"");
      std::vector<Diagnostic> found;
      try {
        parseRoleplayScript(text, "hold.toml");
      } catch (const RoleplayScriptError& e) {
        found = e.diagnostics();
      }
      return found;
    };
    CHECK(withCondition("verified and turn < 6").empty());
    std::vector<Diagnostic> found = withCondition("verified and turn > 6");
    REQUIRE(found.size() == 1);
    CHECK(found[0].format() ==
          "hold.toml:45:22: nodes.hold.choices[0].branches[0].when: the condition \"verified "
          "and turn > 6\" can never hold (verified is true or false; turn is 1 to 6 (max_turns) "
          "when a branch is tested), so this branch is never taken; correct the condition or "
          "remove the branch");
    // No choice scores empathy, so its running points stay 0.
    found = withCondition("empathy >= 3");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message.find("(the running empathy points are always 0)") != std::string::npos);
    found = withCondition("mood > 2 or not (mood <= 1)");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message.find("(mood is always 0 to 1)") != std::string::npos);
  }
}

TEST_CASE("roleplay: sessions go to $XDG_DATA_HOME/cxsim/roleplay, else ~/.local/share/...") {
  const fs::path root =
      fs::temp_directory_path() / ("cx_roleplay_default_" + std::to_string(getpid()));
  fs::remove_all(root);
  const fs::path xdg = root / "xdg", home = root / "home";
  const fs::path in_xdg = xdg / "cxsim" / "roleplay";
  const fs::path in_home = home / ".local" / "share" / "cxsim" / "roleplay";
  // Without --data, as a trainee would run it.
  const std::string play_cmd =
      "roleplay play scenarios/roleplay/broken_item.toml --trainee ana --choices 1,1,1,1 "
      "--times 5,5,5,5";
  {
    const ScopedEnv x("XDG_DATA_HOME", xdg.c_str()), h("HOME", home.c_str());
    CHECK(defaultRoleplayDataDir() == in_xdg);
    const auto r = cx::test::cxsim(play_cmd);
    CHECK(r.code == 0);
    CHECK(r.out.find("Recorded in " + sessionsFile(in_xdg).string()) != std::string::npos);
    CHECK(readRecords(in_xdg).size() == 1);
    CHECK_FALSE(fs::exists(home));
    CHECK(cx::test::cxsim("roleplay report")
              .out.find("1 session in " + sessionsFile(in_xdg).string()) == 0);
  }
  {
    const ScopedEnv x("XDG_DATA_HOME", nullptr), h("HOME", home.c_str());
    CHECK(defaultRoleplayDataDir() == in_home);
    const auto r = cx::test::cxsim(play_cmd);
    CHECK(r.code == 0);
    CHECK(r.out.find("Recorded in " + sessionsFile(in_home).string()) != std::string::npos);
    CHECK(readRecords(in_home).size() == 1);
    CHECK(readRecords(in_xdg).size() == 1);  // untouched
  }
  {
    // An empty XDG_DATA_HOME counts as unset (XDG Base Directory specification).
    const ScopedEnv x("XDG_DATA_HOME", ""), h("HOME", home.c_str());
    CHECK(defaultRoleplayDataDir() == in_home);
  }
  {
    const ScopedEnv x("XDG_DATA_HOME", nullptr), h("HOME", nullptr);
    CHECK(defaultRoleplayDataDir() == fs::path("cxsim-roleplay"));
  }
  fs::remove_all(root);
}

TEST_CASE("roleplay: records round-trip and aggregate by trainee and period, to CSV") {
  const RoleplayScript s = loadRoleplayScript(sourcePath("scenarios/roleplay/broken_item.toml"));
  const fs::path dir =
      fs::temp_directory_path() / ("cx_roleplay_records_" + std::to_string(getpid()));
  fs::remove_all(dir);

  const SessionSummary good = play(s, {1, 1, 1, 1}, {5, 10, 12, 8});
  const SessionSummary breach = play(s, {1, 2, 1, 1}, {5, 10, 12, 8});
  const SessionSummary bad = play(s, {3, 3}, {10, 40});
  const SessionRecord r1 = makeRecord(s, good, "ana", "2026-11-16T09:00:00Z");    // W47
  const SessionRecord r2 = makeRecord(s, breach, "ana", "2026-11-22T17:30:00Z");  // W47 (Sunday)
  const SessionRecord r3 = makeRecord(s, bad, "ana", "2026-11-23T08:00:00Z");     // W48
  SessionRecord r4 = makeRecord(s, good, "bo, jr", "2026-11-18T10:00:00Z");       // W47
  r4.journey = RecordedJourney{"scenarios/examples/shared_context.toml", 12, 12208};
  for (const auto& r : {r1, r2, r3, r4}) appendRecord(dir, r);

  std::vector<std::string> problems;
  { std::ofstream(sessionsFile(dir), std::ios::app) << "{not json\n"; }
  const std::vector<SessionRecord> back = readRecords(dir, &problems);
  REQUIRE(back.size() == 4);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("sessions.jsonl:5:") != std::string::npos);
  CHECK(toJson(back[0]).dump() == toJson(r1).dump());
  CHECK_FALSE(back[0].journey.has_value());  // the script's own customer: no "journey" key
  CHECK(toJson(back[0]).dump().find("journey") == std::string::npos);
  // A session with a customer from a simulation keeps which run and case.
  CHECK(toJson(back[3]).dump() == toJson(r4).dump());
  REQUIRE(back[3].journey.has_value());
  CHECK(back[3].journey->case_id == 12208);
  CHECK(back[3].journey->seed == std::optional<std::uint64_t>(12));
  CHECK(back[0].choices == std::vector<int>{1, 1, 1, 1});
  CHECK(back[0].times_s == std::vector<double>{5, 10, 12, 8});
  CHECK(back[0].passed);
  CHECK(back[0].script == "broken_item");
  CHECK_FALSE(back[1].passed);
  CHECK(back[1].breaches == std::vector<std::string>{"verify_identity"});
  CHECK_FALSE(back[2].scores[static_cast<std::size_t>(Dimension::Ownership)].has_value());

  const auto rows = aggregateRecords(back, Period::Week);
  REQUIRE(rows.size() == 5);  // ana W47, ana W48, bo W47, (all) W47, (all) W48
  CHECK(rows[0].trainee == "ana");
  CHECK(rows[0].period == "2026-W47");
  CHECK(rows[0].sessions == 2);
  CHECK(rows[0].passed == 1);
  CHECK(*rows[0].overall == doctest::Approx((back[0].overall + back[1].overall) / 2));
  CHECK(rows[1].period == "2026-W48");
  CHECK(rows[3].trainee == "(all)");
  CHECK(rows[3].sessions == 3);
  CHECK(rows[4].sessions == 1);
  // Ownership was not scored in the W48 session: the mean has no value rather than 0.
  CHECK_FALSE(rows[1].mean[static_cast<std::size_t>(Dimension::Ownership)].has_value());

  const std::string csv = aggregateCsv(rows);
  std::istringstream in(csv);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] ==
        "trainee,period,sessions,passed,pass_rate,promptness,professionalism,empathy,listening,"
        "ownership,deescalation,overall");
  CHECK(lines[1].rfind("ana,2026-W47,2,1,0.500,", 0) == 0);
  CHECK(lines[3].rfind("\"bo, jr\",2026-W47,1,1,1.000,100.0,", 0) == 0);
  CHECK(lines[2].find(",,") != std::string::npos);  // the empty ownership cell
  fs::remove_all(dir);
}

TEST_CASE("roleplay: ISO 8601 periods") {
  CHECK(periodOf("2026-01-01T00:00:00Z", Period::Week) == "2026-W01");  // a Thursday
  CHECK(periodOf("2027-01-01T12:00:00Z", Period::Week) == "2026-W53");  // a Friday
  CHECK(periodOf("2024-12-30T12:00:00Z", Period::Week) == "2025-W01");  // a Monday
  CHECK(periodOf("2026-11-22T23:59:59Z", Period::Week) == "2026-W47");  // a Sunday
  CHECK(periodOf("2026-11-22T10:00:00Z", Period::Month) == "2026-11");
  CHECK(periodOf("2026-11-22T10:00:00Z", Period::Day) == "2026-11-22");
  CHECK(periodOf("yesterday", Period::Day).empty());
  CHECK(periodOf("2026-02-30T10:00:00Z", Period::Day).empty());
}

namespace {

using Run = cx::test::CliRun;
using cx::test::cxsim;
using cx::test::slurp;

}  // namespace

TEST_CASE("roleplay cli: scripted play prints the debrief and records the session") {
  const fs::path data =
      fs::temp_directory_path() / ("cx_roleplay_data_" + std::to_string(getpid()));
  fs::remove_all(data);
  const std::string d = " --data '" + data.string() + "'";
  // Leftover entries (the 5th, 6th) are ignored once the conversation ends.
  Run r = cxsim(
      "roleplay play scenarios/roleplay/broken_item.toml --trainee ana --choices "
      "1,1,1,1,3,3 --times 5,10,12,8,1,1" +
      d);
  CHECK(r.code == 0);
  CHECK(r.out.find("Result: PASSED, overall 100.0") != std::string::npos);
  CHECK(r.out.find("4 answers in 35 s") != std::string::npos);
  CHECK(r.out.find("Best path for comparison: choices 1,1,1,1") != std::string::npos);
  CHECK(r.out.find("Next-day replacement booked") != std::string::npos);
  // The rest of the debrief: mood over the conversation, a row per dimension, the transcript
  // with the feedback on each of the four answers.
  CHECK(r.out.find("\nMood: 0.40 -> 0.55 -> 0.55 -> 0.85 -> 1.00 (pleased)\n") !=
        std::string::npos);
  CHECK(r.out.find("\n  empathy               100.0  ####################\n") != std::string::npos);
  CHECK(r.out.find("\n  active listening      100.0  ") != std::string::npos);
  CHECK(r.out.find("\nTranscript\n  1. Customer: \"Hi. My coffee table came this morning") !=
        std::string::npos);
  CHECK(r.out.find("You (1, 5 s of 20): \"Oh no, I'm so sorry") != std::string::npos);
  CHECK(r.out.find("Feedback: Apology, acknowledgement of the Saturday deadline") !=
        std::string::npos);
  CHECK(r.out.find("Feedback: Verification first, politely and briefly.") != std::string::npos);
  std::size_t feedback = 0;
  for (auto at = r.out.find("Feedback: "); at != std::string::npos;
       at = r.out.find("Feedback: ", at + 1))
    ++feedback;
  CHECK(feedback == 4);
  CHECK(r.out.find("Transcript") < r.out.find("Best path for comparison"));
  r = cxsim(
      "roleplay play scenarios/roleplay/broken_item.toml --trainee bo --choices 1,2,1,1 "
      "--times 25,10,70,8" +
      d);
  CHECK(r.code == 0);
  CHECK(r.out.find("Result: FAILED") != std::string::npos);
  CHECK(r.out.find("COMPLIANCE FAIL") != std::string::npos);
  // Slow answers and the breach show in the rows: 75, 100, 0, 100 for promptness.
  CHECK(r.out.find("\n  promptness             68.8  ##############\n") != std::string::npos);
  CHECK(r.out.find("\n  professionalism        42.9  #########\n") != std::string::npos);
  CHECK(r.out.find("\nMood: 0.40 -> 0.53 -> 0.53 -> 0.70 -> 0.85 (pleased)\n") !=
        std::string::npos);
  CHECK(r.out.find("mood 0.53 -> 0.70, promptness 0\n") != std::string::npos);

  std::vector<std::string> lines;
  {
    std::istringstream in(slurp(sessionsFile(data)));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  REQUIRE(lines.size() == 2);
  const auto j = nlohmann::json::parse(lines[1]);
  CHECK(j["trainee"] == "bo");
  CHECK(j["script"] == "broken_item");
  CHECK(j["choices"] == nlohmann::json::array({1, 2, 1, 1}));
  CHECK(j["times_s"] == nlohmann::json::array({25, 10, 70, 8}));
  CHECK(j["passed"] == false);
  // 25 s of 20 (75), 10 of 30 (100), 70 of 30 (past twice the limit: 0), 8 of 30 (100).
  CHECK(j["scores"]["promptness"].get<double>() == doctest::Approx(68.8));
  CHECK(j["date"].get<std::string>().size() == 20);

  r = cxsim("roleplay report --by day --csv -" + d);
  CHECK(r.code == 0);
  CHECK(r.out.rfind("trainee,period,sessions,passed,", 0) == 0);
  CHECK(r.out.find("\nana,") != std::string::npos);
  CHECK(r.out.find("\nbo,") != std::string::npos);
  CHECK(r.out.find("\n(all),") != std::string::npos);
  r = cxsim("roleplay report" + d);
  CHECK(r.code == 0);
  CHECK(r.out.find("2 sessions") != std::string::npos);
  fs::remove_all(data);
}

TEST_CASE("roleplay cli: interactive play reads numbers from stdin and re-asks on bad input") {
  const fs::path data = fs::temp_directory_path() / ("cx_roleplay_int_" + std::to_string(getpid()));
  const Run r = cxsim(
      "roleplay play scenarios/roleplay/broken_item.toml --trainee cy --no-record "
      "--data '" +
          data.string() + "'",
      "1\n9\nx\n1\n1\n1\n");
  CHECK(r.code == 0);
  CHECK(r.out.find("Please type a number from 1 to 3") != std::string::npos);
  CHECK(r.out.find("Result: PASSED") != std::string::npos);
  CHECK_FALSE(fs::exists(sessionsFile(data)));  // --no-record
  const Run eof = cxsim("roleplay play scenarios/roleplay/broken_item.toml --no-record", "1\n");
  CHECK(eof.code == 2);
  CHECK(eof.err.find("input ended") != std::string::npos);
}

TEST_CASE("roleplay cli: check prints every expected error of every broken script") {
  for (const fs::path& f : tomlFiles("tests/bad_roleplay")) {
    const std::string rel = fs::relative(f, CX_SOURCE_DIR).string();
    CAPTURE(rel);
    const Run r = cxsim("roleplay check " + rel);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    std::ifstream in(f);
    for (std::string line; std::getline(in, line) && line.rfind('#', 0) == 0;)
      if (line.rfind("# expect: ", 0) == 0)
        CHECK_MESSAGE(r.err.find("error: " + rel + ":" + line.substr(10)) != std::string::npos,
                      "missing: " << line << "\nstderr:\n"
                                  << r.err);
  }
}

TEST_CASE("roleplay cli: bad input exits with code 2 and says where") {
  Run r = cxsim(
      "roleplay check scenarios/roleplay/broken_item.toml tests/bad_roleplay/dangling_next.toml");
  CHECK(r.code == 2);
  CHECK(r.out.find("broken_item.toml: ok") != std::string::npos);
  CHECK(r.err.find("error: tests/bad_roleplay/dangling_next.toml:28:8: nodes.a.choices[0].next") !=
        std::string::npos);
  r = cxsim(
      "roleplay play scenarios/roleplay/broken_item.toml --no-record --choices 1,1 --times 5,5");
  CHECK(r.code == 2);
  CHECK(r.err.find("answer 3") != std::string::npos);
  r = cxsim(
      "roleplay play scenarios/roleplay/broken_item.toml --no-record --choices 1,7 --times 5,5");
  CHECK(r.code == 2);
  CHECK(r.err.find("answer 2 is 7, expected 1 to 3") != std::string::npos);
  r = cxsim(
      "roleplay play scenarios/roleplay/broken_item.toml --no-record --choices 1,a --times 5,5");
  CHECK(r.code == 2);
  r = cxsim("roleplay play scenarios/roleplay/broken_item.toml --no-record --choices 1,1");
  CHECK(r.code == 2);
  CHECK(r.err.find("--choices needs --times") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(cxsim("roleplay play no/such.toml").code == 2);
  CHECK(cxsim("roleplay").code == 2);
  CHECK(cxsim("roleplay report --by year").code == 2);
}
