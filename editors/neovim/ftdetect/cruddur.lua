-- `*.cruddur` files are the `cruddur` filetype (sourced when filetype detection is enabled).
require('cruddur').register_filetype()
