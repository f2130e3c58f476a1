import type { CSSProperties } from 'react'

interface ProgressBarProps {
  label: string
  /** 0..1; null when how far is not known yet (the bar shows half, and no value is announced). */
  fraction: number | null
  className?: string
  style?: CSSProperties
}

/** A labelled progress bar that screen readers announce. */
export function ProgressBar({ label, fraction, className, style }: ProgressBarProps) {
  const percent = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100)
  return (
    <div
      className={className ? `progress ${className}` : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      style={style}
    >
      <div className="progress-bar" style={{ width: `${percent ?? 50}%` }} />
    </div>
  )
}
