/* board.h: page 1 of the report: the three questions a board asks (what
 * did marketing contribute against plan, are we on track for the quarter,
 * what should we do) and the recommended actions behind the third.
 *
 *   rr_board_summary(ctx, summary_section);   // status, contribution, actions
 *
 * Every action is a documented rule over the figures (docs/board.md); the
 * figures an action cites are in the figure store, and the action itself is
 * added to it (report.xml <action>), so an outside check can recompute it.
 * Settings: board.shift_share, board.shift_max, board.min_spend_share,
 * board.sla_goal, board.cost_rise, plan.on_track, plan.at_risk. */
#ifndef RR_BOARD_H
#define RR_BOARD_H
#include "revreport/build.h"

/* Adds to section s (the executive summary, whose tiles are already there):
 * the quarter's status in colour and words and marketing's contribution
 * against plan before the tiles, the recommended actions after them.
 * Adds the figures the rules compute and the actions to c->figs. */
void rr_board_summary(const rr_build_ctx *c, rr_doc_section *s);

#endif
