/* Case counting and reporting shared by every group; the table runner. */
#include "selftest.h"

void st_begin(struct st_group *g, const char *name)
{
    g->name = name;
    g->passed = 0;
    g->total = 0;
}

bool st_case(struct st_group *g, unsigned n, const uint64_t *got, const uint64_t *expected)
{
    g->total++;
    for (unsigned i = 0; i < n; i++) {
        if (got[i] != expected[i]) {
            rt_printf("  FAIL %s#%u: got 0x%016lX, expected 0x%016lX\n", g->name, g->total,
                      got[i], expected[i]);
            return false;
        }
    }
    g->passed++;
    return true;
}

bool st_check(struct st_group *g, uint64_t got, uint64_t expected)
{
    return st_case(g, 1, &got, &expected);
}

bool st_end(struct st_group *g)
{
    bool ok = g->passed == g->total;
    rt_printf("%s: %u/%u %s\n", g->name, g->passed, g->total, ok ? "ok" : "FAILED");
    return ok;
}

bool st_run_table(const char *group, const struct rv_case *cases, unsigned n,
                  uint64_t (*exec)(const struct rv_case *))
{
    struct st_group g;
    st_begin(&g, group);
    for (unsigned i = 0; i < n; i++)
        st_check(&g, exec(&cases[i]), cases[i].expected);
    return st_end(&g);
}
