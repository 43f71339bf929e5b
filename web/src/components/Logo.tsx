/** Roster's mark: a rounded square with an "R". Decorative. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#1f4fd1" />
      <path d="M10 23V9h7a4.5 4.5 0 0 1 0 9h-7m7 0 5 5" fill="none" stroke="#fff" strokeWidth="3"
            strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
