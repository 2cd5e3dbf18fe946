// Per-contact satisfaction: what one finished contact is likely to make the customer answer in
// a survey (CSAT, CES, NPS), with the two sides of service kept apart (docs/CX_MODEL.md).
//
// The model is a logistic one on a single latent "satisfaction" scale. A reference contact
// (answered within the channel's expected wait, resolved at the first contact, no friction, a
// typical agent) has P(CSAT 4–5) = `reference_csat`; every driver moves the logit by a named
// coefficient. Drivers are split into a service side (solved, quickly, correctly) and a care
// side (felt heard and valued); the care side is weighted by the intent's complexity. All
// coefficients are magnitudes >= 0 whose sign is fixed by the equation, and every default is
// in data/calibration.toml with its source.
//
// Fed by the Monitor (sim/metrics.cpp) from the engine's contact records when the scenario has
// [outcomes].
#pragma once

#include <array>
#include <cstddef>

#include "sim/rng.hpp"
#include "sim/scenario.hpp"

namespace cx {

// Complexity (routine / complex / emotional) is the intent's, from sim/scenario.hpp: care
// matters more the higher it is.

// How the contact ended, as the customer saw it.
enum class ContactEnd {
  Answered,   // reached an agent (possibly after the bot)
  Abandoned,  // left before an agent answered (after waiting `wait_s`)
  BotOnly,    // the bot handled it and no agent was involved
};

// One finished contact as the customer experienced it.
struct ContactExperience {
  ChannelKind channel = ChannelKind::Voice;
  Complexity complexity = Complexity::Routine;
  ContactEnd end = ContactEnd::Answered;
  double wait_s = 0.0;     // until answered (or abandoned); for email/messaging the first reply
  bool resolved = true;    // the problem was solved by this contact (false if abandoned)
  int contact_number = 1;  // on the case: 1 = first contact
  bool channel_switched = false;  // this contact is on another channel than the previous one
  bool repeated_info = false;     // had to tell the story again
  bool bot_failed = false;        // a bot handled the contact first and did not solve it
  int bot_turns = 0;              // bot turns before a person was offered (the "bot loop")
  bool transferred = false;       // passed to another agent or tier
  bool empowered = false;         // the agent took extra time under the empowerment policy
  double empathy = 0.7;           // of the agent, 0–1 (ignored when no agent answered)
  double professionalism = 0.7;   // of the agent, 0–1 (ignored when no agent answered)
};

// The model's coefficients. Defaults equal data/calibration.toml (a test keeps them equal).
struct SatisfactionParams {
  // P(CSAT 4–5) of the reference contact.
  double reference_csat = 0.92;
  // What customers take as a normal wait, per ChannelKind (voice, chat, email, messaging).
  std::array<double, 4> expected_wait_s = {35.0, 45.0, 6.0 * 3600.0, 3600.0};

  // Service side (logit units).
  double wait_per_log = 0.4;        // per e-fold of wait beyond the expected wait
  double unresolved = 3.4;          // not solved by this contact
  double abandoned = 0.5;           // on top of unresolved: gave up waiting
  double per_repeat_contact = 0.7;  // per earlier contact on the case ...
  int max_repeat_contacts = 3;      // ... counting at most this many
  double transferred = 0.3;

  // Care side (logit units, multiplied by care_weight of the complexity).
  double reference_agent = 0.7;   // empathy/professionalism at which the agent terms are 0
  double empathy = 2.0;           // per unit of empathy away from the reference
  double professionalism = 1.53;  // per unit of professionalism away from the reference
  double repeated_info = 0.5;
  double bot_failed = 0.5;
  double per_bot_turn = 0.1;
  double bot_only = 0.3;   // no human involved at all
  double empowered = 0.4;  // the agent took the time the customer needed (a gain)
  std::array<double, 3> care_weight = {1.0, 1.5, 2.0};  // routine, complex, emotional

  // NPS from the same latent scale (ordered logit): promoter if latent > promoter_cut,
  // detractor if latent < detractor_cut (both relative to the CSAT 4–5 cut at 0).
  double promoter_cut = 1.5;
  double detractor_cut = 0.4;

  // CES (1–7, 7 = very easy): 1 + 6·σ(logit(reference_ces share) − effort).
  double reference_ces = 6.0;
  double effort_wait_per_log = 0.2;
  double effort_unresolved = 1.2;
  double effort_abandoned = 0.3;
  double effort_per_repeat_contact = 0.6;
  double effort_channel_switch = 0.4;
  double effort_transfer = 0.4;
  double effort_repeated_info = 0.5;
  double effort_bot_failed = 0.5;
  double effort_per_bot_turn = 0.1;

  // Share of contacts whose customer answers the post-contact survey.
  double response_rate = 0.10;

  double expectedWait(ChannelKind kind) const {
    return expected_wait_s[static_cast<std::size_t>(kind)];
  }
  double careWeight(Complexity c) const { return care_weight[static_cast<std::size_t>(c)]; }
};

// What the model predicts for one contact.
struct Satisfaction {
  double service = 0.0;  // service-side logit shift from the reference contact (<= 0)
  double care = 0.0;     // care-side logit shift, already weighted by complexity
  double latent = 0.0;   // logit(reference_csat) + service + care
  double p_csat = 0.0;   // P(CSAT 4 or 5)
  double p_promoter = 0.0;
  double p_detractor = 0.0;
  double expected_ces = 0.0;  // 1–7, higher = easier
  // Each side on its own: P(CSAT 4–5) if the other side had been the reference contact's.
  double service_score = 0.0;
  double care_score = 0.0;
};

double logistic(double x);
double logit(double p);

Satisfaction predictSatisfaction(const ContactExperience& contact,
                                 const SatisfactionParams& params);

// One survey answer: CSAT on 1–5 collapsed to satisfied or not, NPS category, CES 1–7.
struct SurveyAnswer {
  bool responded = false;
  bool satisfied = false;  // rated 4 or 5
  bool promoter = false;   // 9–10
  bool detractor = false;  // 0–6
  int ces = 0;             // 1–7 (0 when not responded)
};

// Draws the survey answer of one contact. Always uses exactly 8 uniforms from `rng` (response,
// latent, 6 for CES) whether or not the customer responds, so two scenarios compared on the
// same stream stay aligned. Satisfied/promoter/detractor come from one logistic draw of the
// latent scale, so a promoter is always satisfied and never a detractor. CES is
// 1 + Binomial(6, (E[CES] − 1)/6): its mean is the expected CES.
SurveyAnswer sampleSurvey(const Satisfaction& s, double response_rate, Rng& rng);

// How precise a real survey of these contacts would be. The reported csat, nps and ces are
// expected values (what a survey with every customer answering averages to, no sampling
// noise), so `response_rate` changes none of them; it enters only through sampleSurvey and
// here. A survey answered by `response_rate` of `contacts` contacts has about contacts ×
// response_rate responses, and its CSAT share lies within ± csat_margin_95 of the expected
// CSAT `csat` 95% of the time: 1.96 √(csat (1 − csat) / responses), the normal approximation
// to the binomial (a response is a random contact, satisfied with probability the mean P(4–5)
// whatever the mix). Non-response is taken as random, as in sampleSurvey. NaN margin when
// no response is expected.
struct SurveyPrecision {
  double responses = 0.0;       // expected number of survey responses
  double csat_margin_95 = 0.0;  // 95% margin of error of the sampled CSAT share (0–1)
};
SurveyPrecision surveyPrecision(double contacts, double csat, double response_rate);

// Survey results over many contacts (DESIGN.md §3 definitions over the responses).
class SurveyTally {
 public:
  void add(const SurveyAnswer& answer);
  long responses() const { return responses_; }
  double csat() const;  // share of 4–5 among responses (0–1)
  double nps() const;   // (promoters − detractors) / responses × 100
  double ces() const;   // mean CES of responses
 private:
  long responses_ = 0, satisfied_ = 0, promoters_ = 0, detractors_ = 0;
  long ces_sum_ = 0;
};

}  // namespace cx
