import type { ThemeConfig } from 'antd/es/config-provider';

// Ant Design's defaults, with secondary text dark enough for WCAG AA contrast
// (4.5:1 on white), which the e2e suite checks with axe-core.
export const theme: ThemeConfig = {
  // Component styles come from antd's static antd.css (imported in main.tsx),
  // not from CSS-in-JS generated in the browser: about a quarter of the
  // script time of the first render. The tokens below still apply, as the
  // CSS variables that stylesheet reads.
  zeroRuntime: true,
  token: {
    colorPrimary: '#1f4fd1',
    colorLink: '#1f4fd1',
    // Hover and press darken (antd lightens by default, below 4.5:1 with white text).
    colorPrimaryHover: '#173fb0',
    colorPrimaryActive: '#12338f',
    colorLinkHover: '#173fb0',
    colorLinkActive: '#12338f',
    // Danger buttons carry white text: antd's #ff4d4f gives only 3.3:1.
    colorError: '#cf1322',
    colorErrorHover: '#a8071a',
    colorErrorActive: '#820014',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.57)',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif",
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#0f1f3d', headerPadding: '0 24px' },
    Menu: { darkItemBg: '#0f1f3d', darkSubMenuItemBg: '#0f1f3d', darkItemSelectedBg: '#1f4fd1' },
  },
};

// For people whose system asks for reduced motion: dialogs, menus and toasts
// appear and go without zooming, sliding or fading (spinners still turn).
export const withoutMotion: ThemeConfig = { ...theme, token: { ...theme.token, motion: false } };
