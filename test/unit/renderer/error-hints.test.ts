/** The hints the window shows under API errors (renderer/src/util/errors.ts). */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api/errors.js';
import { IoError } from '../../../main/store/io-errors.js';
import { errorHint, errorText, ioErrorFile } from '../../../renderer/src/util/errors.js';

describe('error hints', () => {
  it('FORBIDDEN says the path must be inside the folder hclab serve was started with', () => {
    const hint = errorHint('FORBIDDEN', '/etc/passwd: outside the served root /home/u');
    expect(hint).toContain('inside the folder `hclab serve` was started with');
    expect(hint).toContain('--root DIR');
  });

  it('IO_ERROR names the file of the message (as main/ words it) for space and permissions', () => {
    // The message as the main process builds it, not a copy of the format.
    const message = new IoError(
      '/data/my: study.hclab',
      'ENOSPC',
      'no space left on the device',
      'free some space and try again',
    ).message;
    expect(ioErrorFile(message)).toBe('/data/my: study.hclab');
    const hint = errorHint('IO_ERROR', message);
    expect(hint).toBe(
      'Check the free space on the disk and the permissions of /data/my: study.hclab and its folder, then try again.',
    );
    // A message of another form: the hint still says what to check.
    expect(ioErrorFile('disk I/O error')).toBeNull();
    expect(errorHint('IO_ERROR', 'disk I/O error')).toContain('the file named above');
  });

  it('other codes keep their hints; codes without one get none', () => {
    expect(errorHint('LOCKED')).toContain('open in another HCLab');
    expect(errorHint('BAD_INPUT', 'x: expected a number')).toBeUndefined();
    expect(errorHint('INTERNAL')).toBeUndefined();
  });

  it('errorText puts the hint on a line of its own after the message', () => {
    const forbidden = new ApiError('FORBIDDEN', '/etc: outside the root');
    expect(errorText(forbidden).split('\n')).toEqual([
      '/etc: outside the root',
      errorHint('FORBIDDEN'),
    ]);
    expect(errorText(new ApiError('BAD_INPUT', 'memory: expected a number'))).toBe(
      'memory: expected a number',
    );
    expect(errorText('plain')).toBe('plain');
  });
});
