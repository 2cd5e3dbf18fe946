// The journeys of [journeys] as a Markov chain over channels (docs/MODEL.md, "The chain
// across channels"): the switch matrix as an Eigen matrix, and what it implies when every
// contact is answered — the expected contacts a case makes on each channel, by the channel it
// started on, and how much the returning customers add to each channel's fresh contacts.
//
// Exact for the engine's journeys when nobody abandons or balks and there is no bot, no
// transfer, no agent fcr uplift and no empowerment policy (each of those changes
// a case's chance of coming back in a way that depends on the queues or the agents); the
// tests check the simulation against it in that setting. With them it is a first estimate
// of the returns' load, before simulating.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace cx {

// P(c, d): the probability that a customer coming back after a contact on channel c (index
// in Scenario::channels) comes back on channel d. A channel without a row in `switch` keeps
// its customers (identity row); without [journeys], the identity. The scenario must be valid.
Eigen::MatrixXd switchMatrix(const Scenario& scenario);

struct JourneyChain {
  std::vector<std::string> channels;  // ids, in the scenario's order
  // contacts(i, j): expected contacts on channel j of a case whose first contact is on i (its
  // row sums to the contacts per case); resolved(i): P(such a case ends resolved).
  Eigen::MatrixXd contacts;
  Eigen::VectorXd resolved;
  // fresh(j): the channel's share of the fresh (first) contacts; returns(j): returning contacts
  // on j per fresh contact on j (NaN for a channel without fresh contacts).
  Eigen::VectorXd fresh, returns;
};

// The chain of a valid scenario with [journeys]. With intents, a contact of a case of intent
// k is resolved with probability fcr_k (× repeat_fcr_factor when the story is told again
// without the shared history); unresolved, the agent promises a call back with probability
// promise_follow_up — kept (1 − broken_promise): the agent calls on the same channel and
// knows the story; broken: the customer chases through the switch matrix — and without a
// promise the customer comes back through the switch matrix with probability
// retry_unresolved; at most max_contacts contacts. A channel without intents resolves every
// contact.
JourneyChain journeyChain(const Scenario& scenario);

}  // namespace cx
