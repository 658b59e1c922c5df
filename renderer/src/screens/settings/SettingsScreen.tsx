import { AppLockSection } from './AppLockSection.js';
import { LogoSection } from './LogoSection.js';
import { PreferencesSection } from './PreferencesSection.js';
import { ProfileSection } from './ProfileSection.js';
import { SecurityLinkSection } from './SecurityLinkSection.js';

/** The profile printed on documents, the logo, this device's preferences and app lock. */
export function SettingsScreen(): React.JSX.Element {
  return (
    <section aria-labelledby="settings-heading" className="screen">
      <h1 id="settings-heading">Settings</h1>
      <ProfileSection />
      <LogoSection />
      <PreferencesSection />
      <AppLockSection />
      <SecurityLinkSection />
    </section>
  );
}
