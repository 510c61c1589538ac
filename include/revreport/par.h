/* par.h: two pieces of work on two threads.
 *
 *   rr_par2(count_run, &half[1], count_run, &half[0]);   // a on a new thread, b here
 *
 * a(aa) runs on a new thread while b(ba) runs on the calling one; both have
 * returned when rr_par2 returns.  Without a thread (pthread_create failed)
 * both run here, a first.  They must not write to the same memory. */
#ifndef RR_PAR_H
#define RR_PAR_H

void rr_par2(void *(*a)(void *), void *aa, void *(*b)(void *), void *ba);

#endif
