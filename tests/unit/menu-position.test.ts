import { describe, expect, it } from 'vitest';
import { menuPosition } from '../../web/src/lib/menu-position.ts';

/** Where the board's menus open (web/src/lib/menu-position.ts): always inside the viewport. */
describe('menu position', () => {
  const phone = { width: 360, height: 640 };
  const menu = { width: 220, height: 360 };
  const button = (top: number, right = 340) => ({ top, bottom: top + 36, right });
  const inside = (p: { top: number; left: number }) =>
    p.top >= 8 && p.top + menu.height <= phone.height - 8 && p.left >= 8 && p.left + menu.width <= phone.width - 8;

  it('opens under the button when it fits there, above when only there', () => {
    expect(menuPosition(button(100), menu, phone)).toEqual({ top: 140, left: 120 });
    expect(menuPosition(button(560), menu, phone)).toEqual({ top: 196, left: 120 });
  });

  it('stays inside the viewport when it fits neither under nor above the button', () => {
    for (let top = 0; top <= phone.height - 36; top += 20) expect(inside(menuPosition(button(top), menu, phone)), `button at ${top}px`).toBe(true);
  });

  it('keeps to the left edge when the button is near it', () => {
    expect(menuPosition(button(100, 60), menu, phone).left).toBe(8);
  });
});
