import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isApiError } from '../../../../shared/api/api-error.js';
import type { PreferencesPatch, Theme } from '../../../../shared/domain/settings.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';

const THEMES: { id: Theme; label: string }[] = [
  { id: 'system', label: 'Same as the system' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

/** This device's look: theme and the locale money and dates are shown in. */
export function PreferencesSection(): React.JSX.Element {
  const preferences = useQuery({
    queryKey: ['settings', 'getPreferences'],
    queryFn: () => coffer().settings.getPreferences({}),
  });
  const [theme, setTheme] = useState<Theme>('system');
  const [locale, setLocale] = useState('');
  const save = useCofferMutation((patch: PreferencesPatch) =>
    coffer().settings.updatePreferences(patch),
  );

  useEffect(() => {
    if (preferences.data === undefined) return;
    setTheme(preferences.data.theme);
    setLocale(preferences.data.locale ?? '');
  }, [preferences.data]);

  const fieldErrors = isApiError(save.error) ? save.error.fieldErrors() : {};
  return (
    <form
      className="card form"
      aria-labelledby="preferences-heading"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ theme, locale: locale.trim() === '' ? null : locale.trim() });
      }}
    >
      <h2 id="preferences-heading">This device</h2>
      <SelectInput
        label="Theme"
        value={theme}
        onChange={(value) => setTheme(value as Theme)}
        options={THEMES}
      />
      <TextInput
        label="Locale"
        value={locale}
        onChange={setLocale}
        description="For money and dates, e.g. en-GB, de-CH, fr-FR; empty follows the system"
        error={fieldErrors['locale']}
      />
      <Button type="submit" variant="primary" isPending={save.isPending}>
        Save preferences
      </Button>
      {save.isError && <ErrorMessage error={save.error} title="The preferences were not saved" />}
    </form>
  );
}
