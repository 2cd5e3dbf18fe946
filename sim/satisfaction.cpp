// Per-contact satisfaction model: equations in docs/CX_MODEL.md, coefficients in
// data/calibration.toml.
#include "sim/satisfaction.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace cx {

double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

double logit(double p) {
  return std::log(p / (1.0 - p));
}

namespace {

// Waiting up to the expected wait costs nothing; beyond it the cost grows with the log of the
// ratio, so "twice as long as expected" weighs the same on the phone (seconds) as by email
// (hours).
double waitBeyondExpectation(const ContactExperience& c, const SatisfactionParams& p) {
  const double ratio = c.wait_s / p.expectedWait(c.channel);
  return ratio > 1.0 ? std::log(ratio) : 0.0;
}

int repeatContacts(const ContactExperience& c, const SatisfactionParams& p) {
  return std::min(c.contact_number - 1, p.max_repeat_contacts);
}

double serviceSide(const ContactExperience& c, bool solved, const SatisfactionParams& p) {
  double shift = -p.wait_per_log * waitBeyondExpectation(c, p);
  if (!solved) shift -= p.unresolved;
  if (c.end == ContactEnd::Abandoned) shift -= p.abandoned;
  shift -= p.per_repeat_contact * repeatContacts(c, p);
  if (c.transferred) shift -= p.transferred;
  return shift;
}

// Before the complexity weight. Agent behaviour only counts when an agent took the contact.
double careSideUnweighted(const ContactExperience& c, const SatisfactionParams& p) {
  double shift = 0.0;
  if (c.end == ContactEnd::Answered) {
    shift += p.empathy * (c.empathy - p.reference_agent);
    shift += p.professionalism * (c.professionalism - p.reference_agent);
    if (c.empowered) shift += p.empowered;
  }
  if (c.end == ContactEnd::BotOnly) shift -= p.bot_only;
  if (c.repeated_info) shift -= p.repeated_info;
  if (c.bot_failed) shift -= p.bot_failed;
  shift -= p.per_bot_turn * c.bot_turns;
  return shift;
}

double effort(const ContactExperience& c, bool solved, const SatisfactionParams& p) {
  double e = p.effort_wait_per_log * waitBeyondExpectation(c, p);
  if (!solved) e += p.effort_unresolved;
  if (c.end == ContactEnd::Abandoned) e += p.effort_abandoned;
  e += p.effort_per_repeat_contact * repeatContacts(c, p);
  if (c.channel_switched) e += p.effort_channel_switch;
  if (c.transferred) e += p.effort_transfer;
  if (c.repeated_info) e += p.effort_repeated_info;
  if (c.bot_failed) e += p.effort_bot_failed;
  e += p.effort_per_bot_turn * c.bot_turns;
  return e;
}

}  // namespace

Satisfaction predictSatisfaction(const ContactExperience& c, const SatisfactionParams& p) {
  assert(c.contact_number >= 1 && "contact_number counts from 1");
  assert(c.wait_s >= 0.0 && c.bot_turns >= 0 && "waits and turns are non-negative");
  assert(c.empathy >= 0.0 && c.empathy <= 1.0 && c.professionalism >= 0.0 &&
         c.professionalism <= 1.0 && "agent behaviour is on 0–1");
  // An abandoned contact solved nothing, whatever the caller says.
  const bool solved = c.resolved && c.end != ContactEnd::Abandoned;
  const double base = logit(p.reference_csat);

  Satisfaction s;
  s.service = serviceSide(c, solved, p);
  s.care = p.careWeight(c.complexity) * careSideUnweighted(c, p);
  s.latent = base + s.service + s.care;
  s.p_csat = logistic(s.latent);
  s.p_promoter = logistic(s.latent - p.promoter_cut);
  s.p_detractor = logistic(p.detractor_cut - s.latent);
  s.service_score = logistic(base + s.service);
  s.care_score = logistic(base + s.care);
  const double ces_base = logit((p.reference_ces - 1.0) / 6.0);
  s.expected_ces = 1.0 + 6.0 * logistic(ces_base - effort(c, solved, p));
  return s;
}

SurveyAnswer sampleSurvey(const Satisfaction& s, double response_rate, Rng& rng) {
  const double u_response = rng.uniform();
  // One draw of the latent noise decides all three ratings (ordered logit): logit(u) < latent
  // − cut means "above the cut".
  const double u_latent = rng.uniform();
  int easier = 0;
  const double q = (s.expected_ces - 1.0) / 6.0;
  for (int i = 0; i < 6; ++i) easier += rng.uniform() < q ? 1 : 0;

  SurveyAnswer a;
  if (u_response >= response_rate) return a;
  a.responded = true;
  a.satisfied = u_latent < s.p_csat;
  a.promoter = u_latent < s.p_promoter;
  a.detractor = u_latent >= 1.0 - s.p_detractor;
  a.ces = 1 + easier;
  return a;
}

SurveyPrecision surveyPrecision(double contacts, double csat, double response_rate) {
  SurveyPrecision out;
  out.responses = contacts * response_rate;
  out.csat_margin_95 = out.responses > 0.0
                           ? 1.959964 * std::sqrt(csat * (1.0 - csat) / out.responses)
                           : std::numeric_limits<double>::quiet_NaN();
  return out;
}

void SurveyTally::add(const SurveyAnswer& a) {
  if (!a.responded) return;
  ++responses_;
  satisfied_ += a.satisfied ? 1 : 0;
  promoters_ += a.promoter ? 1 : 0;
  detractors_ += a.detractor ? 1 : 0;
  ces_sum_ += a.ces;
}

namespace {
double shareOf(long count, long total) {
  return total > 0 ? static_cast<double>(count) / static_cast<double>(total)
                   : std::numeric_limits<double>::quiet_NaN();
}
}  // namespace

double SurveyTally::csat() const {
  return shareOf(satisfied_, responses_);
}
double SurveyTally::nps() const {
  return 100.0 * (shareOf(promoters_, responses_) - shareOf(detractors_, responses_));
}
double SurveyTally::ces() const {
  return shareOf(ces_sum_, responses_);
}

}  // namespace cx
