#include "hmm_estep.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

// The kernel is compiled twice from the same source: for the baseline target (x86-64-v2 from
// binding.gyp, or whatever the platform's default is) and, on x86-64 with GCC/Clang, for AVX2+FMA,
// chosen at run time by the CPU. Every helper is force-inlined into the two entry points so it is
// generated for each target.
#if defined(__GNUC__) && defined(__x86_64__)
#define STUDIO_AVX2_PATH 1
#define STUDIO_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define STUDIO_INLINE __forceinline
#else
#define STUDIO_INLINE inline
#endif

namespace studio {
namespace {

// Steps of the backward pass handled together: their transition statistics are added as one
// small matrix product while the block is still in L1/L2.
constexpr int kBlock = 64;

// Per-thread accumulators and scratch. Emission counts are kept symbol-major (m×n) so adding a
// posterior row γ_t is one contiguous write of n values; they are transposed once at the end.
struct ThreadState {
  std::vector<double> initial;
  std::vector<double> outer;       // Σ_t α̂_t ⊗ w_{t+1}, multiplied by A at the end
  std::vector<double> emission_t;  // m×n
  std::vector<double> alpha;       // T×n
  std::vector<double> probs;       // T×n emission probabilities of the sequence
  std::vector<double> scale;       // T
  std::vector<double> block_w;     // kBlock×n: w_{t+1} rows of the current block
  std::vector<double> block_beta;  // kBlock×n: β̂_t rows of the current block
  double log_likelihood = 0;
  bool impossible = false;
  std::vector<int> sequences;

  ThreadState(int n, int m)
      : initial(n, 0.0), outer(static_cast<size_t>(n) * n, 0.0), emission_t(static_cast<size_t>(m) * n, 0.0),
        block_w(static_cast<size_t>(kBlock) * n), block_beta(static_cast<size_t>(kBlock + 1) * n) {}
};

#if defined(__GNUC__)
// Four doubles, unaligned: GCC/Clang vector extensions, lowered to one AVX register or two SSE
// registers depending on the function's target.
typedef double v4d __attribute__((vector_size(32), aligned(8), may_alias));
STUDIO_INLINE v4d Load(const double* p) { return *reinterpret_cast<const v4d*>(p); }
STUDIO_INLINE void Store(double* p, v4d v) { *reinterpret_cast<v4d*>(p) = v; }
STUDIO_INLINE v4d Broadcast(double x) { return v4d{x, x, x, x}; }
#define STUDIO_VECTORS 1
#endif

// out[j] = Σ_i x[i] · M[i][j] (M n×n row-major), each sum taken over i in order (as in
// TypeScript), 16 columns at a time so the partial sums stay in registers.
STUDIO_INLINE void VectorTimesMatrix(int n, const double* __restrict x, const double* __restrict matrix, double* __restrict out) {
  int jb = 0;
#ifdef STUDIO_VECTORS
  for (; jb + 16 <= n; jb += 16) {
    v4d acc0 = Broadcast(0), acc1 = Broadcast(0), acc2 = Broadcast(0), acc3 = Broadcast(0);
    for (int i = 0; i < n; i++) {
      const v4d xi = Broadcast(x[i]);
      const double* row = matrix + static_cast<size_t>(i) * n + jb;
      acc0 += xi * Load(row);
      acc1 += xi * Load(row + 4);
      acc2 += xi * Load(row + 8);
      acc3 += xi * Load(row + 12);
    }
    Store(out + jb, acc0);
    Store(out + jb + 4, acc1);
    Store(out + jb + 8, acc2);
    Store(out + jb + 12, acc3);
  }
  for (; jb + 4 <= n; jb += 4) {
    v4d acc = Broadcast(0);
    for (int i = 0; i < n; i++) acc += Broadcast(x[i]) * Load(matrix + static_cast<size_t>(i) * n + jb);
    Store(out + jb, acc);
  }
#endif
  if (jb < n) {
    for (int j = jb; j < n; j++) out[j] = 0;
    for (int i = 0; i < n; i++) {
      const double xi = x[i];
      const double* __restrict row = matrix + static_cast<size_t>(i) * n;
      for (int j = jb; j < n; j++) out[j] += xi * row[j];
    }
  }
}

// outer[i][j] += Σ_r a_r(i) · w_r(j) over rows r = count-1 down to 0 (the TypeScript order),
// in 4×8 register tiles.
STUDIO_INLINE void AddOuterProducts(int n, int count, const double* __restrict a, const double* __restrict w, double* __restrict outer) {
  int i_end = 0;
  int j_end = 0;
#ifdef STUDIO_VECTORS
  i_end = n - n % 4;
  j_end = n - n % 8;
  for (int ib = 0; ib < i_end; ib += 4) {
    for (int jb = 0; jb < j_end; jb += 8) {
      double* o = outer + static_cast<size_t>(ib) * n + jb;
      v4d c00 = Load(o), c01 = Load(o + 4);
      v4d c10 = Load(o + n), c11 = Load(o + n + 4);
      v4d c20 = Load(o + 2 * n), c21 = Load(o + 2 * n + 4);
      v4d c30 = Load(o + 3 * n), c31 = Load(o + 3 * n + 4);
      for (int r = count - 1; r >= 0; r--) {
        const double* ar = a + static_cast<size_t>(r) * n + ib;
        const double* wr = w + static_cast<size_t>(r) * n + jb;
        const v4d w0 = Load(wr), w1 = Load(wr + 4);
        v4d x = Broadcast(ar[0]);
        c00 += x * w0;
        c01 += x * w1;
        x = Broadcast(ar[1]);
        c10 += x * w0;
        c11 += x * w1;
        x = Broadcast(ar[2]);
        c20 += x * w0;
        c21 += x * w1;
        x = Broadcast(ar[3]);
        c30 += x * w0;
        c31 += x * w1;
      }
      Store(o, c00), Store(o + 4, c01);
      Store(o + n, c10), Store(o + n + 4, c11);
      Store(o + 2 * n, c20), Store(o + 2 * n + 4, c21);
      Store(o + 3 * n, c30), Store(o + 3 * n + 4, c31);
    }
  }
#endif
  // Whatever the tiles did not cover (all of it without vector extensions): plain loops.
  if (i_end == n && j_end == n) return;
  for (int r = count - 1; r >= 0; r--) {
    const double* ar = a + static_cast<size_t>(r) * n;
    const double* wr = w + static_cast<size_t>(r) * n;
    for (int i = 0; i < n; i++) {
      const int j_from = i < i_end ? j_end : 0;
      for (int j = j_from; j < n; j++) outer[static_cast<size_t>(i) * n + j] += ar[i] * wr[j];
    }
  }
}

// Mirrors forwardPass in core/models/hmm/forward-backward.ts.
STUDIO_INLINE double Forward(int n, const double* initial, const double* a, int length, ThreadState& s) {
  double* alpha = s.alpha.data();
  const double* probs = s.probs.data();
  double log_likelihood = 0;
  double c = 0;
  for (int j = 0; j < n; j++) {
    const double value = initial[j] * probs[j];
    alpha[j] = value;
    c += value;
  }
  if (!(c > 0) || !std::isfinite(c)) return -std::numeric_limits<double>::infinity();
  for (int j = 0; j < n; j++) alpha[j] = alpha[j] / c;
  s.scale[0] = c;
  log_likelihood += std::log(c);
  for (int t = 1; t < length; t++) {
    double* __restrict current = alpha + static_cast<size_t>(t) * n;
    const double* __restrict p = probs + static_cast<size_t>(t) * n;
    VectorTimesMatrix(n, alpha + static_cast<size_t>(t - 1) * n, a, current);
    c = 0;
    for (int j = 0; j < n; j++) {
      const double value = current[j] * p[j];
      current[j] = value;
      c += value;
    }
    if (!(c > 0) || !std::isfinite(c)) return -std::numeric_limits<double>::infinity();
    for (int j = 0; j < n; j++) current[j] = current[j] / c;
    s.scale[t] = c;
    log_likelihood += std::log(c);
  }
  return log_likelihood;
}

// Mirrors forwardBackward in forward-backward.ts plus the categorical emission accumulation; the
// backward pass runs in blocks of kBlock steps whose transition statistics are added together.
STUDIO_INLINE void SequenceImpl(const CategoricalModelView& model, const double* transition_t, const double* emission_t,
                                const int32_t* symbols, int length, ThreadState& s) {
  const int n = model.n;
  const size_t cells = static_cast<size_t>(length) * n;
  if (s.alpha.size() < cells) {
    s.alpha.resize(cells);
    s.probs.resize(cells);
  }
  if (s.scale.size() < static_cast<size_t>(length)) s.scale.resize(length);
  for (int t = 0; t < length; t++) {
    const double* column = emission_t + static_cast<size_t>(symbols[t]) * n;
    double* row = s.probs.data() + static_cast<size_t>(t) * n;
    for (int i = 0; i < n; i++) row[i] = column[i];
  }
  const double log_likelihood = Forward(n, model.initial, model.transition, length, s);
  if (!std::isfinite(log_likelihood)) {
    s.impossible = true;
    return;
  }
  s.log_likelihood += log_likelihood;

  const double* alpha = s.alpha.data();
  const double* probs = s.probs.data();
  double* __restrict block_w = s.block_w.data();
  double* __restrict block_beta = s.block_beta.data();
  double* __restrict outer = s.outer.data();
  // β̂_{T-1} = 1, kept in the extra last row of block_beta between blocks.
  double* __restrict carried = block_beta + static_cast<size_t>(kBlock) * n;
  for (int i = 0; i < n; i++) carried[i] = 1.0;
  {
    const double* g = alpha + static_cast<size_t>(length - 1) * n;  // γ_{T-1} = α̂_{T-1}
    double* e = s.emission_t.data() + static_cast<size_t>(symbols[length - 1]) * n;
    for (int i = 0; i < n; i++) e[i] += g[i];
    if (length == 1)
      for (int i = 0; i < n; i++) s.initial[i] += g[i];
  }
  // Blocks of steps t in [first, last], last = T-2 down to 0.
  for (int last = length - 2; last >= 0; last -= kBlock) {
    const int first = std::max(0, last - kBlock + 1);
    const int count = last - first + 1;
    for (int t = last; t >= first; t--) {
      const int r = t - first;
      const double* __restrict next_beta = t == last ? carried : block_beta + static_cast<size_t>(r + 1) * n;
      const double* __restrict p = probs + static_cast<size_t>(t + 1) * n;
      double* __restrict w = block_w + static_cast<size_t>(r) * n;
      const double inverse_scale = 1 / s.scale[t + 1];
      for (int j = 0; j < n; j++) w[j] = p[j] * next_beta[j] * inverse_scale;
      // β̂_t(i) = Σ_j A_ij w(j) = (w · Aᵀ)(i).
      VectorTimesMatrix(n, w, transition_t, block_beta + static_cast<size_t>(r) * n);
    }
    AddOuterProducts(n, count, alpha + static_cast<size_t>(first) * n, block_w, outer);
    for (int t = last; t >= first; t--) {
      const double* __restrict a = alpha + static_cast<size_t>(t) * n;
      const double* __restrict beta = block_beta + static_cast<size_t>(t - first) * n;
      double* __restrict e = s.emission_t.data() + static_cast<size_t>(symbols[t]) * n;
      for (int i = 0; i < n; i++) e[i] += a[i] * beta[i];
      if (t == 0)
        for (int i = 0; i < n; i++) s.initial[i] += a[i] * beta[i];
    }
    for (int i = 0; i < n; i++) carried[i] = block_beta[i];
  }
}

void SequenceBaseline(const CategoricalModelView& model, const double* transition_t, const double* emission_t,
                      const int32_t* symbols, int length, ThreadState& s) {
  SequenceImpl(model, transition_t, emission_t, symbols, length, s);
}

#ifdef STUDIO_AVX2_PATH
__attribute__((target("avx2,fma"))) void SequenceAvx2(const CategoricalModelView& model, const double* transition_t,
                                                      const double* emission_t, const int32_t* symbols, int length,
                                                      ThreadState& s) {
  SequenceImpl(model, transition_t, emission_t, symbols, length, s);
}
#endif

using SequenceFunction = void (*)(const CategoricalModelView&, const double*, const double*, const int32_t*, int, ThreadState&);

SequenceFunction Select(KernelVariant variant) {
#ifdef STUDIO_AVX2_PATH
  if (variant == KernelVariant::kAuto && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SequenceAvx2;
#endif
  (void)variant;
  return SequenceBaseline;
}

}  // namespace

const char* KernelVariantName(KernelVariant variant) {
  return Select(variant) == SequenceBaseline ? "baseline" : "avx2-fma";
}

double CategoricalEStep(const CategoricalModelView& model, const SequencesView& data, CountsOut out, int threads, KernelVariant variant) {
  const int n = model.n;
  const int m = model.m;
  const SequenceFunction sequence = Select(variant);
  std::vector<double> transition_t(static_cast<size_t>(n) * n);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) transition_t[static_cast<size_t>(j) * n + i] = model.transition[static_cast<size_t>(i) * n + j];
  std::vector<double> emission_t(static_cast<size_t>(m) * n);
  for (int i = 0; i < n; i++)
    for (int k = 0; k < m; k++) emission_t[static_cast<size_t>(k) * n + i] = model.emission[static_cast<size_t>(i) * m + k];

  // Longest sequences first, each to the least loaded thread (LPT scheduling): balanced work.
  std::vector<int> order;
  for (int s = 0; s < data.sequences; s++)
    if (data.offsets[s + 1] > data.offsets[s]) order.push_back(s);
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min<int>(threads, static_cast<int>(order.size())));
  auto length = [&](int s) { return data.offsets[s + 1] - data.offsets[s]; };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return length(a) > length(b); });
  std::vector<ThreadState> states;
  states.reserve(threads);
  for (int k = 0; k < threads; k++) states.emplace_back(n, m);
  std::vector<long long> load(threads, 0);
  for (int s : order) {
    const int k = static_cast<int>(std::min_element(load.begin(), load.end()) - load.begin());
    states[k].sequences.push_back(s);
    load[k] += length(s);
  }
  // Each thread then runs its sequences in data order, so a one-thread run adds in the TS order.
  for (auto& state : states) std::sort(state.sequences.begin(), state.sequences.end());

  auto work = [&](ThreadState& state) {
    for (int s : state.sequences) sequence(model, transition_t.data(), emission_t.data(), data.symbols + data.offsets[s], length(s), state);
  };
  std::vector<std::thread> pool;
  for (int k = 1; k < threads; k++) {
    try {
      pool.emplace_back(work, std::ref(states[k]));
    } catch (...) {
      work(states[k]);  // no thread available: do its share here
    }
  }
  work(states[0]);
  for (auto& thread : pool) thread.join();

  std::fill(out.initial, out.initial + n, 0.0);
  std::vector<double> outer(static_cast<size_t>(n) * n, 0.0);
  std::vector<double> emission_counts_t(static_cast<size_t>(m) * n, 0.0);
  double log_likelihood = 0;
  bool impossible = false;
  for (auto& state : states) {
    log_likelihood += state.log_likelihood;
    impossible = impossible || state.impossible;
    for (int i = 0; i < n; i++) out.initial[i] += state.initial[i];
    for (size_t k = 0; k < outer.size(); k++) outer[k] += state.outer[k];
    for (size_t k = 0; k < emission_counts_t.size(); k++) emission_counts_t[k] += state.emission_t[k];
  }
  for (size_t k = 0; k < outer.size(); k++) out.transition[k] = outer[k] * model.transition[k];
  for (int k = 0; k < m; k++)
    for (int i = 0; i < n; i++) out.emission[static_cast<size_t>(i) * m + k] = emission_counts_t[static_cast<size_t>(k) * n + i];
  return impossible ? -std::numeric_limits<double>::infinity() : log_likelihood;
}

}  // namespace studio
