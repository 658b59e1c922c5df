import { useState } from 'react';
import { Button } from '../../ui/Button.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { choiceLabel, type NeededChoice } from './import-choice.js';

/** A reading the file leaves open, asked as a question; the answer re-runs the preview. */
export function NeedsChoice({
  choice,
  onChoose,
}: {
  choice: NeededChoice;
  onChoose: (option: string, value: string) => void;
}): React.JSX.Element {
  const [value, setValue] = useState(choice.values[0] ?? '');
  return (
    <section className="card needs-choice" aria-labelledby="choice-heading" role="region">
      <h3 id="choice-heading">Coffer needs you to choose the {choice.setting}</h3>
      <p>{choice.message}</p>
      <SelectInput
        label={`The file's ${choice.setting}`}
        value={value}
        onChange={setValue}
        options={choice.values.map((v) => ({ id: v, label: choiceLabel(choice.option, v) }))}
      />
      <Button variant="primary" onPress={() => onChoose(choice.option, value)}>
        Use this {choice.setting}
      </Button>
    </section>
  );
}
