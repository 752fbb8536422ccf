/*
 * test_montecarlo.c — the generator against its published reference outputs, quantiles against
 * R's definition 7 worked by hand, and the Sobol estimators on two functions whose indices are
 * known in closed form (a linear model and the Ishigami function).
 */
#include "testutil.h"

#include "montecarlo.h"

#include <math.h>
#include <stdlib.h>

static void splitmix64_reference(void **state)
{
    (void)state;
    /* the reference outputs for seed 1234567 (Vigna's splitmix64.c, as listed by Rosetta Code's
     * "Pseudo-random numbers/Splitmix64") */
    uint64_t s = 1234567;
    const uint64_t expected[] = {6457827717110365317ULL, 3203168211198807973ULL,
                                 9817491932198370423ULL, 4593380528125082431ULL,
                                 16408922859458223821ULL};
    for (int i = 0; i < 5; i++)
        assert_true(acv_splitmix64(&s) == expected[i]);
}

static void xoshiro_reference(void **state)
{
    (void)state;
    /* state {1, 2, 3, 4}: the first output is rotl(2 * 5, 7) * 9 = 1280 * 9 = 11520; the update
     * makes s[1] = 2 ^ (3 ^ 1) = 0, so the second is 0; then s[1] = 0 ^ (2 ^ 262144 ^ 7)
     * = 262149 and the third is rotl(262149 * 5, 7) * 9 = 1509978240 */
    acv_rng r = {{1, 2, 3, 4}};
    assert_true(acv_rng_next(&r) == 11520);
    assert_true(acv_rng_next(&r) == 0);
    assert_true(acv_rng_next(&r) == 1509978240ULL);
    assert_true(acv_rng_next(&r) == 1215971899390074240ULL);
}

static void same_seed_same_sequence(void **state)
{
    (void)state;
    acv_rng a, b, c;
    acv_rng_seed(&a, 42);
    acv_rng_seed(&b, 42);
    acv_rng_seed(&c, 43);
    int differs = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = acv_rng_next(&a);
        assert_true(x == acv_rng_next(&b));
        differs |= x != acv_rng_next(&c);
    }
    assert_true(differs);
    /* the seed fills the state through splitmix64 */
    uint64_t sm = 42;
    acv_rng_seed(&a, 42);
    for (int i = 0; i < 4; i++)
        assert_true(a.s[i] == acv_splitmix64(&sm));
}

static void uniform_in_unit_interval(void **state)
{
    (void)state;
    acv_rng r;
    acv_rng_seed(&r, 2045);
    double sum = 0;
    int bins[4] = {0};
    for (int i = 0; i < 100000; i++) {
        double u = acv_rng_uniform(&r);
        assert_true(u >= 0 && u < 1);
        sum += u;
        bins[(int)(u * 4)]++;
    }
    /* mean 1/2 with standard error 0.29 / sqrt(100000) = 0.0009; each quarter holds 25,000
     * with standard deviation 137: 5 standard errors either way */
    assert_true(fabs(sum / 100000 - 0.5) < 0.0046);
    for (int i = 0; i < 4; i++)
        assert_true(abs(bins[i] - 25000) < 685);
    /* the top 53 bits: the largest output maps to 1 - 2^-53, below 1 */
    assert_true((double)(UINT64_MAX >> 11) * 0x1.0p-53 < 1.0);
}

static void quantiles_definition_7(void **state)
{
    (void)state;
    /* R: quantile(c(1, 2, 2, 3, 5), c(0.05, 0.5, 0.95)) = 1.2, 2, 4.6:
     * h = 4 * 0.05 = 0.2 -> 1 + 0.2 * (2 - 1); h = 2 -> 2; h = 3.8 -> 3 + 0.8 * (5 - 3) */
    const double x[] = {1, 2, 2, 3, 5};
    assert_float_equal(acv_quantile_sorted(x, 5, 0.05), 1.2, 1e-12);
    assert_float_equal(acv_quantile_sorted(x, 5, 0.5), 2, 1e-12);
    assert_float_equal(acv_quantile_sorted(x, 5, 0.95), 4.6, 1e-12);
    assert_float_equal(acv_quantile_sorted(x, 5, 0), 1, 0);
    assert_float_equal(acv_quantile_sorted(x, 5, 1), 5, 0);
    /* an even count: the median is the mean of the middle two; one value is every quantile */
    const double y[] = {1, 2, 4, 7};
    assert_float_equal(acv_quantile_sorted(y, 4, 0.5), 3, 1e-12);
    assert_float_equal(acv_quantile_sorted(y, 1, 0.95), 1, 0);
}

/* Runs the Saltelli design for k factors uniform on [lo, hi) through f. */
static void sobol_of(double (*f)(const double *x), size_t k, size_t n, double lo, double hi,
                     uint64_t seed, acv_sobol_index *out)
{
    acv_rng r;
    acv_rng_seed(&r, seed);
    double *A = malloc(n * k * sizeof *A), *B = malloc(n * k * sizeof *B);
    double *fA = malloc(n * sizeof *fA), *fB = malloc(n * sizeof *fB);
    double *fAB = malloc(n * k * sizeof *fAB);
    assert_non_null(A && B && fA && fB && fAB);
    for (size_t j = 0; j < n; j++) {
        for (size_t i = 0; i < k; i++)
            A[j * k + i] = lo + (hi - lo) * acv_rng_uniform(&r);
        for (size_t i = 0; i < k; i++)
            B[j * k + i] = lo + (hi - lo) * acv_rng_uniform(&r);
        fA[j] = f(&A[j * k]);
        fB[j] = f(&B[j * k]);
        for (size_t i = 0; i < k; i++) {
            double x[8];
            for (size_t m = 0; m < k; m++)
                x[m] = m == i ? B[j * k + m] : A[j * k + m];
            fAB[i * n + j] = f(x);
        }
    }
    acv_sobol_estimate(fA, fB, fAB, n, k, out);
    free(A);
    free(B);
    free(fA);
    free(fB);
    free(fAB);
}

static double linear(const double *x)
{
    return x[0] + 2 * x[1] + 3 * x[2];
}

static void sobol_linear_model(void **state)
{
    (void)state;
    /* y = x1 + 2 x2 + 3 x3, x uniform on [0, 1): no interaction, so S_i = ST_i = c_i^2 / sum c^2
     * = 1/14, 4/14, 9/14. With N = 20,000 the estimators' standard errors are below 0.01; the
     * tolerance is 0.02. */
    acv_sobol_index s[3];
    sobol_of(linear, 3, 20000, 0, 1, 7, s);
    const double c2[] = {1, 4, 9};
    for (int i = 0; i < 3; i++) {
        assert_float_equal(s[i].first, c2[i] / 14, 0.02);
        assert_float_equal(s[i].total, c2[i] / 14, 0.02);
    }
}

static double ishigami(const double *x)
{
    return sin(x[0]) + 7 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]);
}

static void sobol_ishigami(void **state)
{
    (void)state;
    /* Ishigami and Homma (1990), a = 7, b = 0.1, x uniform on [-pi, pi): with
     * V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50) and
     * V = V1 + V2 + V13: S1 = 0.3139, S2 = 0.4424, S3 = 0, ST1 = 0.5576, ST2 = 0.4424,
     * ST3 = 0.2437. Tolerance 0.03 at N = 20,000 (Saltelli 2010 reports errors of that order). */
    const double pi = acos(-1), b = 0.1, a = 7;
    double v1 = 0.5 * pow(1 + b * pow(pi, 4) / 5, 2), v2 = a * a / 8;
    double v13 = b * b * pow(pi, 8) * (1.0 / 18 - 1.0 / 50), v = v1 + v2 + v13;
    assert_float_equal(v1 / v, 0.3139, 1e-4);
    assert_float_equal(v2 / v, 0.4424, 1e-4);
    assert_float_equal(v13 / v, 0.2437, 1e-4);
    acv_sobol_index s[3];
    sobol_of(ishigami, 3, 20000, -pi, pi, 2045, s);
    assert_float_equal(s[0].first, v1 / v, 0.03);
    assert_float_equal(s[1].first, v2 / v, 0.03);
    assert_float_equal(s[2].first, 0, 0.03);
    assert_float_equal(s[0].total, (v1 + v13) / v, 0.03);
    assert_float_equal(s[1].total, v2 / v, 0.03);
    assert_float_equal(s[2].total, v13 / v, 0.03);
}

static void sobol_constant_output(void **state)
{
    (void)state;
    /* an output that never varies has no variance to share: indices 0 */
    const double f[] = {3, 3, 3};
    acv_sobol_index s[1];
    assert_float_equal(acv_sobol_estimate(f, f, f, 3, 1, s), 0, 0);
    assert_float_equal(s[0].first, 0, 0);
    assert_float_equal(s[0].total, 0, 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(splitmix64_reference),    cmocka_unit_test(xoshiro_reference),
    cmocka_unit_test(same_seed_same_sequence), cmocka_unit_test(uniform_in_unit_interval),
    cmocka_unit_test(quantiles_definition_7),  cmocka_unit_test(sobol_linear_model),
    cmocka_unit_test(sobol_ishigami),          cmocka_unit_test(sobol_constant_output),
};

ACV_TEST_MAIN("montecarlo", tests)
