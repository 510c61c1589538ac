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

/* ---- the packs: views of the document for the PDF ----
 * A view shares the doc's strings, blocks and charts (it owns only its
 * arrays): free it with rr_board_view_free before the doc. */

/* The sections order[0..n) of doc (indices, e.g. the template's order).
 * board = 1: the board pack: the summary whole, and of the revenue,
 * forecast, roi and funnel sections their first chart with the one short
 * paragraph that introduces it (forecast: and its last table, the quarter);
 * other sections left out.  board = 0: the sections whole. */
rr_doc *rr_board_view(const rr_doc *doc, const size_t *order, size_t n, int board);
/* The appendix of the board pack: the sections of order[0..n) other than the
 * summary, whole; title is its title (not copied). */
rr_doc *rr_board_appendix(const rr_doc *doc, const size_t *order, size_t n, const char *title);
void rr_board_view_free(rr_doc *v);   /* accepts NULL */

#endif
