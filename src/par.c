/* par.c: two pieces of work on two threads (see par.h). */
#include <pthread.h>
#include "revreport/par.h"

void rr_par2(void *(*a)(void *), void *aa, void *(*b)(void *), void *ba)
{
    pthread_t th;
    int threaded = pthread_create(&th, NULL, a, aa) == 0;
    if (!threaded) a(aa);
    b(ba);
    if (threaded) pthread_join(th, NULL);
}
