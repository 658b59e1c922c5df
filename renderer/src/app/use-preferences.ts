import { queryOptions, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { coffer } from '../api/coffer-client.js';
import { setDisplayLocale } from '../ui/format.js';

export const preferencesQuery = queryOptions({
  queryKey: ['settings', 'getPreferences'],
  queryFn: () => coffer().settings.getPreferences({}),
});

/** Applies this device's theme and locale to the page as soon as they are known. */
export function usePreferences(): void {
  const preferences = useQuery(preferencesQuery);
  const theme = preferences.data?.theme;
  const locale = preferences.data?.locale;
  useEffect(() => {
    const root = document.documentElement;
    if (theme === undefined || theme === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', theme);
  }, [theme]);
  useEffect(() => {
    setDisplayLocale(locale ?? undefined);
    if (locale !== undefined && locale !== null) document.documentElement.lang = locale;
  }, [locale]);
}
