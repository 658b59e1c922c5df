import { useState } from 'react';
import type { DetectedSetting, SettingOverride } from '../../../../shared/domain/import-result.js';
import { Button } from '../../ui/Button.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { choiceLabel } from './import-choice.js';

type Overridable = DetectedSetting & { override: SettingOverride };

/**
 * Every guess of how the file was read that is one value of a short list (date format,
 * decimal separator, sign rule, fee rule, delimiter, encoding), as a choice the user can
 * change: the same guesses the CLI's flags override, given as the reader options those
 * flags set.
 */
export function ReadingSettingsEditor({
  settings,
  onApply,
}: {
  settings: readonly DetectedSetting[];
  onApply: (options: Record<string, string>) => void;
}): React.JSX.Element | null {
  const overridable = settings.filter((s): s is Overridable => s.override !== undefined);
  const [chosen, setChosen] = useState<Record<string, string>>(() =>
    Object.fromEntries(overridable.map((s) => [s.override.option, s.override.value])),
  );
  if (overridable.length === 0) return null;
  const changed = Object.fromEntries(
    overridable
      .filter((s) => chosen[s.override.option] !== s.override.value)
      .map((s) => [s.override.option, chosen[s.override.option] ?? s.override.value]),
  );
  return (
    <section className="card" aria-labelledby="reading-heading">
      <h3 id="reading-heading">How to read the file</h3>
      <p>Change a guess that is wrong and the preview is read again with your choice.</p>
      <div className="mapping-grid">
        {overridable.map((s) => (
          <SelectInput
            key={s.override.option}
            label={s.name.charAt(0).toUpperCase() + s.name.slice(1)}
            value={chosen[s.override.option] ?? s.override.value}
            onChange={(value) =>
              setChosen((current) => ({ ...current, [s.override.option]: value }))
            }
            options={s.override.choices.map((value) => ({
              id: value,
              label: choiceLabel(s.override.option, value),
            }))}
          />
        ))}
      </div>
      <Button isDisabled={Object.keys(changed).length === 0} onPress={() => onApply(changed)}>
        Preview with these settings
      </Button>
    </section>
  );
}
