import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import type { Category } from '../../../../shared/domain/ledger.schema.js';
import { CategoryActions } from './CategoryActions.js';

export function CategoryTable({
  title,
  categories,
}: {
  title: string;
  categories: readonly Category[];
}): React.JSX.Element {
  const headingId = `categories-${title.split(' ')[0]?.toLowerCase() ?? 'kind'}`;
  return (
    <section aria-labelledby={headingId} className="category-group">
      <h2 id={headingId}>{title}</h2>
      {categories.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <Table aria-labelledby={headingId} className="table">
          <TableHeader>
            <Column isRowHeader>Name</Column>
            <Column>Status</Column>
            <Column>Actions</Column>
          </TableHeader>
          <TableBody items={categories}>
            {(category) => (
              <Row id={category.id}>
                <Cell>{category.name}</Cell>
                <Cell>{category.archived ? 'Archived' : 'Active'}</Cell>
                <Cell>
                  <CategoryActions category={category} />
                </Cell>
              </Row>
            )}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
