// Package allocation decides how the stock of many donors is best shipped to
// many open needs. It builds minimum-cost flow problems for the exact solver
// in aidbridge/internal/flow and maps the optimal flows back to shipping
// lines. It is pure: no store, no HTTP, no clock (the caller passes Today).
//
// # Lanes
//
// A lane carries units from a donor to a need at UnitCost per unit and
// arrives TransitDays after Today. It is usable only if it arrives in time:
// Today + TransitDays <= NeededBy, both read as calendar dates (time of day
// ignored); a need without NeededBy accepts any lane. When a (donor, need)
// pair has explicit lanes, the cheapest usable one serves it (ties: the
// faster, then the first given) and no default lane is made. When it has none
// and both ends have coordinates, a default lane is derived from the
// great-circle distance d in km (haversine, EarthRadiusKm):
//
//	UnitCost    = DefaultCostBase + round(d / DefaultKmPerCostUnit)  // 1 + d/100
//	TransitDays = DefaultDispatchDays + ceil(d / DefaultKmPerDay)    // 1 + d/800
//
// Without coordinates at either end there is no default lane: such a need is
// served by explicit lanes only.
//
// # The network
//
// Every solve is one minimum-cost flow problem: a node per donor with stock
// (supply Available), a node per need (demand Quantity), an uncapacitated arc
// per usable lane, an "unmet" node that can supply any need the units it
// lacks, and an "excess" node that absorbs unused stock and unused unmet
// supply at cost 0. Supplies therefore balance and every problem is feasible;
// what a policy changes is the cost of the unmet arcs (and whether lanes cost
// their UnitCost or nothing). All costs are >= 0, so no problem is unbounded.
//
// # Policies
//
// Cheapest delivers as many units as any allocation can (a maximum flow) and,
// among those, pays the least shipping. One solve, with unmet units penalized
// by P = B + 1 each, where B = min(stock, demand) × the dearest usable lane
// bounds the shipping of any allocation, so one unit less unmet always beats
// any saving in shipping. When P is beyond the solver's bounds, two solves
// instead: the maximum amount with free lanes, then the cheapest allocation
// with the unmet total capped at what the first left.
//
// Priority serves urgency tiers strictly: as many critical units as
// possible, then as many high units as the critical total allows, then
// normal, then the least shipping. Tier by tier, lanes free, unmet units
// costing 1: the solve for a tier keeps the tiers above it at their totals
// (their unmet arcs share a node capped at the unmet the tier's own solve
// left; donors may still be reassigned) and leaves the tiers below out. The
// last tier's solve prices the lanes and penalizes its unmet units as
// Cheapest does (or, beyond the bounds, a final solve with every tier capped
// prices them). No critical unit is then left unmet while a donor that could
// reach it in time ships to a lower tier. Because the quantities a set of
// needs can receive form a polymatroid, the tiers' sum is also the maximum
// flow.
//
// Balanced delivers per tier the same total as Priority, spread so that the
// tier's unmet shares are as even as possible, then ships those per-need
// amounts at the least cost (which may exceed Priority's). "As even as
// possible" is exact: with q_i a need's quantity and u_i its unmet units, the
// tier's per-need amounts minimize the sum over its needs of Φ_i(u_i), where
// the u-th unmet unit of need i costs 2·ceil(u·BalanceSteps/q_i) − 1: the
// piecewise-linear form, in steps of 1/BalanceSteps of the share, of
// q_i·(u_i/q_i)², the quantity-weighted squared unmet share. (The solve has
// free lanes and an unmet arc per step, each dearer than the last.) Hence if
// a donor ships to need k and reaches need i of the same tier,
// ceil(u_i·BalanceSteps/q_i) <= ceil((u_k+1)·BalanceSteps/q_k): moving a
// unit from k to i would not even out the shares. A need that few donors
// reach does not hold the others back. The tiers above keep their per-need
// amounts while a tier is balanced; a solve per tier, then the shipping.
//
// Value is the weighted objective of the domain: each unit delivered earns
// its urgency's Weights entry (DefaultWeights when absent), each unit shipped
// costs its lane's UnitCost, and the allocation maximizes earnings minus
// shipping; when leaving a unit unmet or delivering it are worth the same,
// it is delivered (all costs are scaled by the most units deliverable plus
// one and an unmet unit costs one more; beyond the solver's bounds, such ties
// go either way). One solve. Units not worth their shipping are unmet with
// reason "not_chosen". Weights are read only by this policy.
//
// # Unmet reasons
//
// A need left short is "no_lane_in_time" if some donor has stock but none
// with stock has a usable lane to it (none arrives in time, or none exists),
// "not_chosen" if a donor with a usable lane to it still has unused stock
// (only under Value), and "no_stock" otherwise: no donor has any stock, or
// every donor that could reach it in time ships all it has elsewhere.
package allocation
