/*
 * montecarlo.h — the numerical tools of an uncertainty and sensitivity analysis, with no domain
 * knowledge: a seeded pseudo-random generator, quantiles of a sample, and the variance-based
 * (Sobol) sensitivity indices estimated from a Saltelli sample design.
 *
 * Owns nothing beyond what the caller passes: the generator is a value (its state), so every
 * thread or replication can hold its own and the same seed gives the same numbers everywhere.
 *
 * - Generator: xoshiro256** 1.0 (Blackman and Vigna, https://prng.di.unimi.it/), its 256-bit
 *   state filled from the 64-bit seed by splitmix64 (Steele, Lea and Flood 2014), as its authors
 *   recommend. Doubles in [0, 1) take the top 53 bits of an output: (x >> 11) * 2^-53.
 * - Quantiles: Hyndman and Fan (1996) definition 7, R's default (COINr reports ranks with it):
 *   for sorted x[0..n-1] and p in [0, 1], h = (n - 1) p, Q(p) = x[floor h] + (h - floor h)
 *   (x[floor h + 1] - x[floor h]).
 * - Sobol indices (Saltelli et al. 2010, "Variance based sensitivity analysis of model output",
 *   Computer Physics Communications 181, table 2): from N rows of two independent sample
 *   matrices A and B and, for each factor i, AB_i (A with column i taken from B), with model
 *   outputs fA, fB, fABi and V the variance of the 2N outputs of A and B:
 *     first order  S_i  = (1/N) sum_j fB_j (fABi_j - fA_j) / V        (Saltelli 2010, b)
 *     total        ST_i = (1/(2N)) sum_j (fA_j - fABi_j)^2 / V         (Jansen 1999, f)
 *   An output that never varies (V = 0) gives indices of 0.
 */
#ifndef ACV_MONTECARLO_H
#define ACV_MONTECARLO_H

#include <stddef.h>
#include <stdint.h>

/* splitmix64: advances *state and returns the next output. */
uint64_t acv_splitmix64(uint64_t *state);

typedef struct {
    uint64_t s[4];
} acv_rng;

/* Seeds the generator: its four words are the first four splitmix64 outputs from seed. */
void acv_rng_seed(acv_rng *r, uint64_t seed);
/* The next 64-bit output of xoshiro256**. */
uint64_t acv_rng_next(acv_rng *r);
/* A double uniform in [0, 1): the top 53 bits of the next output. */
double acv_rng_uniform(acv_rng *r);

/* Quantile p (0..1) of x[0..n-1], which must be sorted ascending and n > 0 (definition 7). */
double acv_quantile_sorted(const double *x, size_t n, double p);

typedef struct {
    double first; /* S_i */
    double total; /* ST_i */
} acv_sobol_index;

/* Estimates the indices of k factors from fA[N], fB[N] and fAB[i * N + j] (i < k, j < N);
 * out[k]. Returns the variance V used (0: the output never varied, all indices 0). */
double acv_sobol_estimate(const double *fA, const double *fB, const double *fAB, size_t n_rows,
                          size_t k, acv_sobol_index *out);

#endif
