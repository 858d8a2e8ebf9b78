/**
 * "Numbers": one row for the reference split and one per model. Held-out likelihood (NLL per token in
 * nats, perplexity where tokens are discrete, "bound" for an ELBO, "density" for continuous features),
 * training time and size; MusPy's metrics as mean ± SD, the reference's own values in its row and the
 * model closest to them marked; Yang & Lerch's overlap area and KL divergence per feature, the best
 * overlap marked. Horizontal scroll with the names held at the left.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import { formatBytes } from '../../lib/format';
import { formatDuration } from '../models/model-format';
import {
  familyLabel,
  formatDelta,
  formatMeanSd,
  formatNumber,
  formatPerplexity,
  MUSPY_COLUMNS,
  YANG_LERCH_COLUMNS,
  type ComparisonTable,
  type TableRow,
} from './compare-model';

type ColumnGroup = 'likelihood' | 'muspy' | 'yang-lerch';

const GROUPS: readonly { readonly group: ColumnGroup; readonly label: string }[] = [
  { group: 'likelihood', label: 'Likelihood' },
  { group: 'muspy', label: 'MusPy' },
  { group: 'yang-lerch', label: 'Yang & Lerch' },
];

/** A header label that wraps onto two lines instead of widening its column. */
function HeaderLabel({ children }: { children: string }) {
  return <span className="compare-head-label">{children}</span>;
}

export function CompareTable({ table, split }: { table: ComparisonTable; split: string }) {
  const reference = table.rows.find((row) => row.kind === 'reference');
  const scroller = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState({ left: false, right: false });

  // Shadows at the edges say there is more of the table to scroll to.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return undefined;
    const measure = () => {
      const left = element.scrollLeft > 1;
      const right = element.scrollLeft + element.clientWidth < element.scrollWidth - 1;
      setEdges((current) => (current.left === left && current.right === right ? current : { left, right }));
    };
    measure();
    element.addEventListener('scroll', measure, { passive: true });
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => {
      element.removeEventListener('scroll', measure);
      observer.disconnect();
    };
  }, []);

  const scrollToGroup = (group: ColumnGroup) => {
    const element = scroller.current;
    const start = element?.querySelector<HTMLElement>(`th[data-group-start="${group}"]`);
    const sticky = element?.querySelector<HTMLElement>('.compare-name-head');
    if (!element || !start) return;
    element.scrollTo({ left: Math.max(0, start.offsetLeft - (sticky?.offsetWidth ?? 0)), behavior: 'smooth' });
  };

  return (
    <div className="compare-table-card card">
      <header className="card-header">
        <span className="card-title">Scores</span>
        <span className="card-subtitle">likelihood on the {split} split · MusPy metrics of the samples · Yang &amp; Lerch against the reference</span>
        <div className="segmented compare-jump" role="group" aria-label="Scroll the table to">
          {GROUPS.map(({ group, label }) => (
            <button key={group} type="button" className="segment" onClick={() => scrollToGroup(group)} data-testid={`compare-jump-${group}`}>
              {label}
            </button>
          ))}
        </div>
      </header>
      <div className={`compare-table-frame${edges.left ? ' has-more-left' : ''}${edges.right ? ' has-more-right' : ''}`}>
      <div className="compare-table-scroll" ref={scroller}>
        <table className="data-table compare-table" data-testid="compare-table">
          <thead>
            <tr className="compare-group-row">
              <th className="compare-name-head" rowSpan={2} scope="col">
                Set
              </th>
              <th colSpan={4} scope="colgroup" className="compare-group">
                Held-out likelihood
              </th>
              <th colSpan={MUSPY_COLUMNS.length} scope="colgroup" className="compare-group">
                MusPy metrics · mean ± SD over the set
              </th>
              <th colSpan={YANG_LERCH_COLUMNS.length} scope="colgroup" className="compare-group">
                Yang &amp; Lerch · overlap area (KL) vs reference
              </th>
            </tr>
            <tr>
              <th
                scope="col"
                className="numeric compare-group-start"
                data-group-start="likelihood"
                title={`Negative log-likelihood per token of the ${split} split under the model's own representation (nats): lower is better`}
              >
                <HeaderLabel>NLL / token</HeaderLabel>
              </th>
              <th scope="col" className="numeric" title="exp(NLL): how many equally likely tokens the model is choosing between; only for discrete tokens">
                <HeaderLabel>Perplexity</HeaderLabel>
              </th>
              <th scope="col" className="numeric" title="Wall time of the training run">
                <HeaderLabel>Train time</HeaderLabel>
              </th>
              <th scope="col" className="numeric" title="The stored parameters">
                <HeaderLabel>Size</HeaderLabel>
              </th>
              {MUSPY_COLUMNS.map((column, index) => (
                <th
                  key={column.metric}
                  scope="col"
                  className={`numeric${index === 0 ? ' compare-group-start' : ''}`}
                  data-group-start={index === 0 ? 'muspy' : undefined}
                  title={column.description}
                >
                  <HeaderLabel>{column.label}</HeaderLabel>
                </th>
              ))}
              {YANG_LERCH_COLUMNS.map((column, index) => (
                <th
                  key={column.feature}
                  scope="col"
                  className={`numeric${index === 0 ? ' compare-group-start' : ''}`}
                  data-group-start={index === 0 ? 'yang-lerch' : undefined}
                  title={`${column.description}: overlap area of the reference's intra-set distances with the reference–sample distances (1: the samples sit among the reference as it sits among itself), and KL divergence (nats, 0 is best)`}
                >
                  <HeaderLabel>{column.label}</HeaderLabel>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <Row key={row.key} row={row} reference={reference} table={table} />
            ))}
          </tbody>
        </table>
      </div>
      </div>
      <footer className="compare-table-legend">
        <span>
          <span className="legend-mark legend-closest" aria-hidden="true" /> closest to the reference
        </span>
        <span>
          <span className="legend-mark legend-best" aria-hidden="true" /> best of the models (lowest NLL, largest overlap)
        </span>
        <span className="muted">
          NLLs compare between models of one representation; “density” marks continuous features (no perplexity), “bound” an ELBO.
        </span>
      </footer>
    </div>
  );
}

function Row({ row, reference, table }: { row: TableRow; reference: TableRow | undefined; table: ComparisonTable }) {
  const pending = row.kind === 'pending';
  const isModel = row.kind === 'model';
  const modelId = row.modelId;
  const nll = row.likelihood?.nllPerToken ?? null;
  const bestNll = isModel && modelId !== null && table.bestNll.includes(modelId);
  return (
    <tr data-testid="compare-row" data-model-id={modelId ?? 'reference'} data-kind={row.kind} className={`compare-row compare-row-${row.kind}`}>
      <th scope="row" className="compare-name-cell">
        <span className="compare-name">
          <span className="compare-swatch" style={{ background: row.colour }} aria-hidden="true" />
          <span className="compare-name-text" title={row.name}>
            {row.name}
          </span>
        </span>
        <span className="compare-name-meta">
          {row.family !== null ? (
            <span className="kind-badge">
              <span className="kind-family">{familyLabel(row.family)}</span>
              {row.representation ? <span className="kind-representation">{row.representation}</span> : null}
            </span>
          ) : (
            <span className="kind-badge kind-badge-reference">
              <span className="kind-family">Corpus</span>
            </span>
          )}
          <span className="muted">
            {pending ? (
              <>
                <span className="spinner spinner-small" aria-hidden="true" /> measuring…
              </>
            ) : row.kind === 'reference' ? (
              `${row.pieces} pieces`
            ) : (
              `${row.pieces} samples`
            )}
          </span>
        </span>
      </th>

      <td className={`numeric compare-group-start${bestNll ? ' is-best' : ''}`} data-testid={isModel ? 'nll-cell' : undefined} data-value={nll ?? undefined}>
        {isModel ? <NllValue row={row} /> : <span className="muted">{pending ? '…' : 'n/a'}</span>}
      </td>
      <td className="numeric" data-value={row.likelihood?.perplexity ?? undefined}>
        {isModel ? (
          row.likelihood && !row.likelihood.discrete ? (
            <span className="muted" title="The note features are continuous densities: perplexity is not defined">
              n/a
            </span>
          ) : (
            formatPerplexity(row.likelihood?.perplexity ?? null)
          )
        ) : (
          <span className="muted">{pending ? '…' : '—'}</span>
        )}
      </td>
      <td className="numeric">{row.trainingSeconds === null ? <span className="muted">{pending ? '…' : '—'}</span> : formatDuration(row.trainingSeconds)}</td>
      <td className="numeric">{row.sizeBytes === null ? <span className="muted">{pending ? '…' : '—'}</span> : row.sizeBytes > 0 ? formatBytes(row.sizeBytes) : '—'}</td>

      {MUSPY_COLUMNS.map((column, index) => {
        const summary = row.musPy[column.metric];
        const shown = formatMeanSd(summary, column.digits);
        const closest = isModel && modelId !== null && (table.closest[column.metric] ?? []).includes(modelId);
        const delta = isModel ? formatDelta(summary?.mean, reference?.musPy[column.metric]?.mean, column.digits) : null;
        return (
          <td
            key={column.metric}
            className={`numeric compare-metric${index === 0 ? ' compare-group-start' : ''}${closest ? ' is-closest' : ''}`}
            data-testid={pending ? undefined : 'metric-cell'}
            data-metric={column.metric}
            data-value={summary?.mean ?? undefined}
            data-closest={closest ? 'true' : undefined}
            title={summary ? `${column.label}: n = ${summary.n}${delta ? ` · ${delta}` : ''}` : undefined}
          >
            {pending ? (
              <span className="muted">…</span>
            ) : (
              <>
                <span className="cell-main">{shown.mean}</span>
                {shown.sd ? <span className="cell-sub">{shown.sd}</span> : null}
              </>
            )}
          </td>
        );
      })}

      {YANG_LERCH_COLUMNS.map((column, index) => {
        const cell = row.yangLerch[column.feature];
        const best = isModel && modelId !== null && (table.bestOverlap[column.feature] ?? []).includes(modelId);
        return (
          <td
            key={column.feature}
            className={`numeric compare-metric${index === 0 ? ' compare-group-start' : ''}${best ? ' is-best' : ''}`}
            data-testid={isModel ? 'oa-cell' : undefined}
            data-feature={column.feature}
            data-value={cell?.overlapArea ?? undefined}
            data-kl={cell?.kl ?? undefined}
            title={isModel && cell === null ? 'Undefined: a set has fewer than two pieces with this feature' : undefined}
          >
            {isModel && cell ? (
              <>
                <span className="cell-main">{formatNumber(cell.overlapArea, 3)}</span>
                <span className="cell-sub">KL {formatNumber(cell.kl, 3)}</span>
              </>
            ) : (
              <span className="muted">{pending ? '…' : row.kind === 'reference' ? '' : '—'}</span>
            )}
          </td>
        );
      })}
    </tr>
  );
}

function NllValue({ row }: { row: TableRow }) {
  const likelihood = row.likelihood;
  if (!likelihood || likelihood.nllPerToken === null) return <span className="muted" title="This model defines no likelihood">—</span>;
  const tag = likelihood.isBound ? 'bound' : !likelihood.discrete ? 'density' : null;
  return (
    <>
      <span className="cell-main">{formatNumber(likelihood.nllPerToken, 3)}</span>
      {tag ? (
        <span className={`cell-tag cell-tag-${tag}`} title={tag === 'bound' ? 'An upper bound on the NLL (the negative ELBO)' : 'Continuous features: a density, not a probability'}>
          {tag}
        </span>
      ) : (
        <span className="cell-sub">nats</span>
      )}
    </>
  );
}
