import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { Transaction } from '../../../../shared/domain/ledger.schema.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';
import { Progress } from '../../ui/Progress.js';
import { useLedgerPages, type LedgerFilter } from './ledger-pages.js';
import type { LedgerRefs } from './use-ledger-refs.js';

/** Every row is this tall (a split adds a line per part when open): no measuring on scroll. */
export const LEDGER_ROW_HEIGHT = 40;
const SPLIT_PART_HEIGHT = 24;
const PAGE_STEP = 10;

/**
 * The ledger as a virtualised grid: only the rows in view (and a few around) are in the
 * page, and only their pages are fetched, so 100k rows scroll like 100. The grid keeps
 * focus itself and points at the active row (aria-activedescendant): arrow keys move it,
 * Enter opens it, right and left open and close a split.
 */
export function LedgerList({
  filter,
  refs,
  onOpen,
}: {
  filter: LedgerFilter;
  refs: LedgerRefs;
  onOpen: (transaction: Transaction) => void;
}): React.JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState({ first: 0, last: 0 });
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const pages = useLedgerPages(filter, range.first, range.last);
  const total = pages.total ?? 0;
  // Rows of every account side by side say whose each one is; one account's need not.
  const showAccount = filter.accountId === undefined;

  const heightOf = (index: number): number => {
    const row = pages.rowAt(index);
    if (row === undefined || !open.has(row.id)) return LEDGER_ROW_HEIGHT;
    return LEDGER_ROW_HEIGHT + row.splits.length * SPLIT_PART_HEIGHT;
  };
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scroller.current,
    estimateSize: heightOf,
    overscan: 12,
    // The sticky header sits above the first row inside the same scrolling grid.
    scrollMargin: LEDGER_ROW_HEIGHT,
    onChange: (instance) => {
      const items = instance.getVirtualItems();
      const first = items[0]?.index ?? 0;
      const last = items[items.length - 1]?.index ?? 0;
      setRange((now) => (now.first === first && now.last === last ? now : { first, last }));
    },
  });

  // Heights change only when a split opens or closes; re-measure then, not on scroll.
  useEffect(() => virtualizer.measure(), [open, virtualizer]);
  // A new filter starts at the top.
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    setActive(0);
    virtualizer.scrollToOffset(0);
  }, [filterKey, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const activeShown = items.some((item) => item.index === active);

  const moveTo = (index: number): void => {
    const next = Math.max(0, Math.min(total - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const toggleSplit = (row: Transaction | undefined, wanted: boolean): void => {
    if (row === undefined || row.splits.length === 0) return;
    setOpen((now) => {
      if (now.has(row.id) === wanted) return now;
      const next = new Set(now);
      if (wanted) next.add(row.id);
      else next.delete(row.id);
      return next;
    });
  };

  const onKeyDown = (event: React.KeyboardEvent): void => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(active + 1),
      ArrowUp: () => moveTo(active - 1),
      PageDown: () => moveTo(active + PAGE_STEP),
      PageUp: () => moveTo(active - PAGE_STEP),
      Home: () => moveTo(0),
      End: () => moveTo(total - 1),
      Enter: () => {
        const row = pages.rowAt(active);
        if (row !== undefined) onOpen(row);
      },
      ArrowRight: () => toggleSplit(pages.rowAt(active), true),
      ArrowLeft: () => toggleSplit(pages.rowAt(active), false),
    };
    const action = keys[event.key];
    if (action === undefined || total === 0) return;
    event.preventDefault();
    action();
  };

  if (pages.isPending) return <Progress label="Loading transactions" />;
  if (pages.error !== null && pages.total === null) {
    return <ErrorMessage error={pages.error} title="Transactions could not be loaded" />;
  }

  return (
    <>
      {pages.isUpdating ? (
        <Progress label="Filtering transactions" />
      ) : (
        <p className="ledger-count" aria-live="polite">
          {total === 1 ? '1 transaction' : `${total.toLocaleString()} transactions`}
        </p>
      )}
      {pages.error !== null && (
        <ErrorMessage error={pages.error} title="Some transactions could not be loaded" />
      )}
      {total === 0 && <p className="ledger-empty">No transactions match.</p>}
      <div
        ref={scroller}
        role="grid"
        aria-label="Transactions"
        aria-rowcount={total + 1}
        aria-colcount={columnCount(showAccount)}
        aria-activedescendant={activeShown && total > 0 ? rowId(active) : undefined}
        tabIndex={0}
        className={showAccount ? 'ledger-grid with-account' : 'ledger-grid'}
        data-testid="ledger-grid"
        onKeyDown={onKeyDown}
      >
        <div role="row" aria-rowindex={1} className="ledger-row ledger-header">
          <span role="columnheader">Date</span>
          {showAccount && <span role="columnheader">Account</span>}
          <span role="columnheader">Payee</span>
          <span role="columnheader">Category</span>
          <span role="columnheader">Notes</span>
          <span role="columnheader" className="numeric">
            Amount
          </span>
        </div>
        <div
          role="presentation"
          className="ledger-canvas"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {items.map((item) => (
            <LedgerRow
              key={item.key}
              index={item.index}
              top={item.start - LEDGER_ROW_HEIGHT}
              height={item.size}
              row={pages.rowAt(item.index)}
              refs={refs}
              showAccount={showAccount}
              isActive={item.index === active}
              isOpen={open.has(pages.rowAt(item.index)?.id ?? '')}
              onSelect={() => setActive(item.index)}
              onOpen={onOpen}
              onToggle={(row, wanted) => toggleSplit(row, wanted)}
            />
          ))}
        </div>
      </div>
    </>
  );
}

function columnCount(showAccount: boolean): number {
  return showAccount ? 6 : 5;
}

function rowId(index: number): string {
  return `ledger-row-${index}`;
}

function LedgerRow({
  index,
  top,
  height,
  row,
  refs,
  showAccount,
  isActive,
  isOpen,
  onSelect,
  onOpen,
  onToggle,
}: {
  index: number;
  top: number;
  height: number;
  row: Transaction | undefined;
  refs: LedgerRefs;
  showAccount: boolean;
  isActive: boolean;
  isOpen: boolean;
  onSelect: () => void;
  onOpen: (row: Transaction) => void;
  onToggle: (row: Transaction, wanted: boolean) => void;
}): React.JSX.Element {
  const style = { transform: `translateY(${top}px)`, height };
  if (row === undefined) {
    return (
      <div
        role="row"
        id={rowId(index)}
        aria-rowindex={index + 2}
        className="ledger-row"
        style={style}
      >
        <span role="gridcell" aria-colspan={columnCount(showAccount)} className="ledger-loading">
          Loading…
        </span>
      </div>
    );
  }
  return (
    <div
      role="row"
      id={rowId(index)}
      aria-rowindex={index + 2}
      aria-selected={isActive}
      className={isActive ? 'ledger-row is-active' : 'ledger-row'}
      style={style}
      data-testid="ledger-row"
      onClick={onSelect}
      onDoubleClick={() => onOpen(row)}
    >
      <span role="gridcell">{formatIsoDate(row.date)}</span>
      {showAccount && <span role="gridcell">{refs.account(row.accountId)?.name ?? ''}</span>}
      <span role="gridcell">{row.payeeName ?? ''}</span>
      <span role="gridcell">
        {row.splits.length === 0 ? (
          refs.categoryName(row.categoryId)
        ) : (
          <>
            <button
              type="button"
              tabIndex={-1}
              className="ledger-split-toggle"
              aria-expanded={isOpen}
              onClick={(event) => {
                event.stopPropagation();
                onToggle(row, !isOpen);
              }}
            >
              Split ({row.splits.length}) <span aria-hidden="true">{isOpen ? '▴' : '▾'}</span>
            </button>
            {isOpen && (
              <ul className="ledger-split-parts" aria-label="Split parts">
                {row.splits.map((part, i) => (
                  <li key={i}>
                    <span>{refs.categoryName(part.categoryId)}</span>
                    {part.memo !== '' && <span className="ledger-memo">{part.memo}</span>}
                    <Money minor={part.amountMinor} currency={row.currency} />
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </span>
      <span role="gridcell" className="ledger-notes">
        {row.notes}
      </span>
      <span role="gridcell" className="numeric">
        <Money minor={row.amountMinor} currency={row.currency} />
      </span>
    </div>
  );
}
