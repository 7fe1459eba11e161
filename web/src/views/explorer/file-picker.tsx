import { useState } from 'preact/hooks';
import type { JsonSchema } from '../../api/types';
import { Field } from '../../ui/field';

/** Files travel inside the JSON call (base64, a third larger) and the server takes 1 MB bodies. */
const MAX_FILE_BYTES = 700 * 1024;

/** The body fields a multipart operation declares as files (`format: binary`). */
export function fileFieldsOf(schema: JsonSchema): string[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties)
    .filter(([, property]) => property.format === 'binary' || (property.items as JsonSchema | undefined)?.format === 'binary')
    .map(([name]) => name);
}

/**
 * One file input per file field of a multipart body. A chosen file is written into the JSON body as a
 * file value `{filename, contentType, base64}`, which the server sends to Clockify as a file part.
 */
export function FilePicker({
  schema,
  onFile,
}: {
  schema: JsonSchema;
  onFile: (field: string, value: { filename: string; contentType: string; base64: string }) => void;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const fields = fileFieldsOf(schema);
  if (fields.length === 0) return null;
  const pick = (field: string, file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setErrors({ ...errors, [field]: `The file is ${Math.ceil(file.size / 1024)} KB; at most ${MAX_FILE_BYTES / 1024} KB can be sent.` });
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      const dataUrl = String(reader.result ?? '');
      setErrors({ ...errors, [field]: '' });
      onFile(field, {
        filename: file.name,
        contentType: file.type || 'application/octet-stream',
        base64: dataUrl.slice(dataUrl.indexOf(',') + 1),
      });
    };
    reader.onerror = () => setErrors({ ...errors, [field]: 'The file could not be read.' });
    reader.readAsDataURL(file);
  };
  return (
    <div class="form-grid">
      {fields.map((field) => (
        <Field
          key={field}
          label={<span class="mono">{field}</span>}
          hint="The file is put into the body below and sent as a file part."
          error={errors[field] || undefined}
        >
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              class="input"
              type="file"
              aria-describedby={describedBy}
              aria-invalid={invalid ? 'true' : undefined}
              onChange={(event) => pick(field, event.currentTarget.files?.[0])}
            />
          )}
        </Field>
      ))}
    </div>
  );
}
