import { useQuery } from '@tanstack/react-query';
import { CATEGORY_KINDS } from '../../../../shared/domain/ledger.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { CategoryTable } from './CategoryTable.js';
import { NewCategoryForm } from './NewCategoryForm.js';

export const KIND_TITLES = { expense: 'Expense categories', income: 'Income categories' } as const;

/** Categories by kind, archived ones marked: add, rename, archive, or delete unused ones. */
export function CategoriesScreen(): React.JSX.Element {
  const categories = useQuery({
    queryKey: ['categories', 'list', { includeArchived: true }],
    queryFn: () => coffer().categories.list({ includeArchived: true }),
  });
  return (
    <section aria-labelledby="categories-heading" className="screen">
      <h1 id="categories-heading">Categories</h1>
      {categories.isPending && <Progress label="Loading categories" />}
      {categories.isError && (
        <ErrorMessage error={categories.error} title="Categories could not be loaded" />
      )}
      {categories.data !== undefined &&
        CATEGORY_KINDS.map((kind) => (
          <CategoryTable
            key={kind}
            title={KIND_TITLES[kind]}
            categories={categories.data.filter((c) => c.kind === kind)}
          />
        ))}
      <NewCategoryForm />
    </section>
  );
}
