/* montecarlo.c — generator, quantiles and Sobol estimators; see montecarlo.h for the sources. */
#include "montecarlo.h"

#include <math.h>

uint64_t acv_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void acv_rng_seed(acv_rng *r, uint64_t seed)
{
    uint64_t sm = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = acv_splitmix64(&sm);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t acv_rng_next(acv_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double acv_rng_uniform(acv_rng *r)
{
    return (double)(acv_rng_next(r) >> 11) * 0x1.0p-53;
}

double acv_quantile_sorted(const double *x, size_t n, double p)
{
    if (n == 1 || p <= 0)
        return x[0];
    if (p >= 1)
        return x[n - 1];
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1)
        return x[n - 1];
    return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

double acv_sobol_estimate(const double *fA, const double *fB, const double *fAB, size_t n_rows,
                          size_t k, acv_sobol_index *out)
{
    double mean = 0;
    for (size_t j = 0; j < n_rows; j++)
        mean += fA[j] + fB[j];
    mean /= (double)(2 * n_rows);
    double var = 0;
    for (size_t j = 0; j < n_rows; j++)
        var += (fA[j] - mean) * (fA[j] - mean) + (fB[j] - mean) * (fB[j] - mean);
    var /= (double)(2 * n_rows);
    for (size_t i = 0; i < k; i++) {
        const double *fi = fAB + i * n_rows;
        double first = 0, total = 0;
        for (size_t j = 0; j < n_rows; j++) {
            first += fB[j] * (fi[j] - fA[j]);
            total += (fA[j] - fi[j]) * (fA[j] - fi[j]);
        }
        out[i].first = var > 0 ? first / (double)n_rows / var : 0;
        out[i].total = var > 0 ? total / (double)(2 * n_rows) / var : 0;
    }
    return var;
}
