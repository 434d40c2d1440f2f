/* Case counting and reporting shared by every group; the table runner of dp.h. */
#include "dp.h"

void st_begin(struct st_group *g, const char *name)
{
    g->name = name;
    g->passed = 0;
    g->total = 0;
}

bool st_case(struct st_group *g, unsigned n, const uint32_t *got, const uint32_t *expected)
{
    g->total++;
    for (unsigned i = 0; i < n; i++) {
        if (got[i] != expected[i]) {
            rt_printf("  FAIL %s#%u: got 0x%08X, expected 0x%08X\n", g->name, g->total, got[i],
                      expected[i]);
            return false;
        }
    }
    g->passed++;
    return true;
}

bool st_check(struct st_group *g, uint32_t got, uint32_t expected)
{
    return st_case(g, 1, &got, &expected);
}

bool st_end(struct st_group *g)
{
    bool ok = g->passed == g->total;
    rt_printf("%s: %u/%u %s\n", g->name, g->passed, g->total, ok ? "ok" : "FAILED");
    return ok;
}

bool dp_run_table(const char *group, const struct dp_case *cases, unsigned n,
                  void (*exec)(const struct dp_case *, uint32_t out[3]))
{
    struct st_group g;
    st_begin(&g, group);
    for (unsigned i = 0; i < n; i++) {
        uint32_t got[3];
        const uint32_t expected[3] = {cases[i].expect_d, cases[i].expect_e, cases[i].expect_apsr};
        exec(&cases[i], got);
        st_case(&g, 3, got, expected);
    }
    return st_end(&g);
}
